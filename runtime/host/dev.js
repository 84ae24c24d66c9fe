// longcall dev mode (runtime/host/dev.js): put before go-app's app.js by the
// dev supervisor's proxy. It hears of each build over server-sent events,
// reloads the page when a build newer than its own serves, and shows a
// failed build's errors over the app until one succeeds.
(function () {
  const build = __LONGCALL_BUILD__; // the build that served this page

  // No service worker in dev mode: its cache-first copy of the app would
  // hide the new build. app.js's function is replaced before it runs; one
  // left by an earlier run is unregistered.
  goappInitServiceWorker = async function () {
    if (!("serviceWorker" in navigator)) return;
    for (const r of await navigator.serviceWorker.getRegistrations()) {
      await r.unregister();
    }
  };

  function element(tag, id, style) {
    const e = document.createElement(tag);
    e.id = id;
    Object.assign(e.style, style);
    return e;
  }

  function clear(id) {
    const e = document.getElementById(id);
    if (e) e.remove();
  }

  function showBuilding() {
    if (document.getElementById("longcall-dev-building")) return;
    const note = element("div", "longcall-dev-building", {
      position: "fixed", right: "1em", bottom: "1em", zIndex: "2147483646",
      padding: "0.4em 0.8em", borderRadius: "4px", font: "13px system-ui, sans-serif",
      background: "#1f2a44", color: "#fff", opacity: "0.9",
    });
    note.textContent = "longcall: rebuilding…";
    document.body.appendChild(note);
  }

  function showFailed(output) {
    clear("longcall-dev-overlay");
    const overlay = element("div", "longcall-dev-overlay", {
      position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
      padding: "2em", background: "rgba(24, 24, 32, 0.94)", color: "#f4f4f4",
      font: "14px system-ui, sans-serif",
    });
    overlay.setAttribute("role", "alert");
    const title = element("h2", "longcall-dev-overlay-title", { color: "#ff8080", margin: "0 0 0.5em" });
    title.textContent = "longcall dev mode: your last change does not run";
    const note = element("p", "longcall-dev-overlay-note", { margin: "0 0 1em" });
    note.textContent = "Fix it and save: this page reloads once a build serves.";
    const pre = element("pre", "longcall-dev-overlay-output", {
      whiteSpace: "pre-wrap", font: "13px ui-monospace, monospace", margin: "0",
    });
    pre.textContent = output;
    overlay.append(title, note, pre);
    document.body.appendChild(overlay);
  }

  // A new build starts its pages afresh, as Dash's hot reload does: the
  // props and calls in flight that ui/journal.go keeps in the browser would
  // show the old build's values over the new layout, and wait for jobs the
  // old server took with it. The session is kept. The page that reloads
  // marks it; the reloaded one forgets, before app.wasm reads them.
  const reloadMark = "longcall.devReload";
  function forgetPages() {
    for (const storage of [localStorage, sessionStorage]) {
      for (const key of Object.keys(storage)) {
        if (key.startsWith("longcall.props.") || key.startsWith("longcall.flights.")) {
          storage.removeItem(key);
        }
      }
    }
  }
  if (sessionStorage.getItem(reloadMark)) {
    sessionStorage.removeItem(reloadMark);
    forgetPages();
  }

  const events = new EventSource("/_longcall/dev");
  events.onmessage = (e) => {
    const status = JSON.parse(e.data);
    if (status.state === "ok" && status.build !== build) {
      events.close();
      sessionStorage.setItem(reloadMark, "1");
      forgetPages();
      location.reload();
      return;
    }
    if (status.state !== "building") clear("longcall-dev-building");
    if (status.state !== "failed") clear("longcall-dev-overlay");
    if (status.state === "building") showBuilding();
    if (status.state === "failed") showFailed(status.output);
  };
})();
