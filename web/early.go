package web

// earlyJS makes the server's page usable before app.wasm runs. go-app
// prerenders every page on the server, but until the wasm has started
// (1.5 s cold on a 2-core machine, most of it compiling and starting Go)
// nothing takes a click. (Its buttons were disabled too, until TrueBooleans
// left go-app's disabled="false" out of the server's HTML.) So, from the
// moment app.js runs (right after the HTML is parsed):
//
//   - clicks and typed values on the page are recorded, each by the path
//     from the nearest element with an id (a bound component's root) to its
//     target;
//   - once the wasm has rendered the same page (go-app replaces the
//     prerendered nodes), they are replayed in order on the new nodes:
//     click() on the same element, a value set with its input and change
//     events.
//
// window.longcallEarly.listening tells a probe (BenchmarkInteractive) that
// clicks are taken. Links are left alone: before the wasm they navigate.
const earlyJS = `// longcall: the server's page takes clicks and typing before app.wasm runs (web/early.go).
const longcallEarly = (() => {
  const early = { listening: true, queue: [] };
  window.longcallEarly = early;
  const pathOf = (el) => {
    const path = [];
    for (; el && !el.id; el = el.parentElement) {
      if (!el.parentElement) return null;
      path.unshift(Array.prototype.indexOf.call(el.parentElement.children, el));
    }
    return el ? { id: el.id, path } : null;
  };
  const find = (at) => {
    let el = document.getElementById(at.id);
    for (const i of at.path) el = el && el.children[i];
    return el;
  };
  document.addEventListener("click", (e) => {
    if (!early.listening || !(e.target instanceof Element)) return;
    if (e.target.closest("a[href]") || e.target.closest("label")) return; // a link navigates; a label's click reaches its input
    const at = pathOf(e.target);
    if (at) early.queue.push({ type: "click", at });
  }, true);
  const typed = (e) => {
    if (!early.listening || !("value" in e.target) || e.target.type === "checkbox" || e.target.type === "radio") return;
    const at = pathOf(e.target);
    if (at) early.queue.push({ type: "value", at, value: e.target.value });
  };
  document.addEventListener("input", typed, true);
  document.addEventListener("change", typed, true);
  early.replay = () => {
    early.listening = false;
    if (document.getElementById("app-wasm-loader")) return; // the wasm did not start: nothing would hear them
    for (const q of early.queue.splice(0)) {
      const el = find(q.at);
      if (!el) continue;
      if (q.type === "click") {
        el.click();
      } else if (el.value !== q.value) {
        el.value = q.value;
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  };
  return early;
})();

`

// directFetch is what the wasm is instantiated from instead of go-app's
// fetchWithProgress, which copies the response through a JavaScript stream
// to count its bytes: a Response made in JavaScript has no URL, so V8 can
// neither cache the compiled module (a warm load compiles the 10 MB again)
// nor, on this machine, keep up with the network (the copy took longer
// than the download). The loader shows no percentage, only its spinner.
const (
	goappFetch    = `fetchWithProgress("/web/app.wasm", showProgress)`
	directFetch   = `fetch("/web/app.wasm")`
	goappProgress = `showProgress(0);`
	noProgress    = `loaderLabel.innerText = "";`
)
