// longcall's service worker: go-app's, with its install and activation held
// open (event.waitUntil) until they are done. go-app's handlers are async
// functions the browser does not wait for, so its worker took control of a
// page before every page and asset was cached, and a page opened offline
// soon after could fail. Placeholders are go-app's; its Handler fills them.
const cacheName = "app-" + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(cacheName)
      .then((cache) => cache.addAll(resourcesToCache))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keys = await caches.keys();
      await Promise.all(keys.filter((key) => key !== cacheName).map((key) => caches.delete(key)));
      await self.clients.claim();
    })()
  );
});

// Cache first: every page and asset of this version opens offline.
self.addEventListener("fetch", (event) => {
  event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
});
