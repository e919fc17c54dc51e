// The page's service worker: keeps a copy of the page's own files so it opens and works with
// no network once it has been loaded. It never touches another origin and never sees user
// data (files are read by the page, not fetched). Network first, so a connected page is always
// current; the copy is only the fallback.
//
// scripts/site fills in BUILD: a hash of the site's files and their list (relative to this
// script, so the site works under any path). On install the whole list is copied, so the first
// visit is enough to work offline. A new build is a new sw.js: the browser installs it beside the
// running one, it copies the new files, takes over at once (skipWaiting, clients.claim) and
// deletes the old copy; an open page keeps the code it loaded, the next load gets the new one.
// Served from the repository (scripts/serve), BUILD is empty and the page lists what it loaded.
const BUILD = { version: 'dev', files: [] };
const CACHE = `revlens-page-${BUILD.version}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      if (BUILD.files.length) {
        const cache = await caches.open(CACHE);
        await cache.addAll(BUILD.files.map((f) => new Request(new URL(f, self.location.href), { cache: 'no-cache' })));
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('revlens-page-') && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

const sameOrigin = (url) => new URL(url, self.location.href).origin === self.location.origin;

// The page lists what it loaded (documents, modules, styles, the wasm its worker fetched):
// those requests happened before this worker controlled the page, so they are copied now.
self.addEventListener('message', (event) => {
  const urls = Array.isArray(event.data?.cache) ? event.data.cache.filter((u) => typeof u === 'string' && sameOrigin(u)) : [];
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(urls.map((u) => cache.add(new Request(u, { cache: 'no-cache' })).catch(() => {})));
      event.source?.postMessage({ cached: urls.length + BUILD.files.length });
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !sameOrigin(request.url)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response.clone());
        return response;
      } catch (offline) {
        const copy = (await cache.match(request, { ignoreSearch: true })) ?? (request.mode === 'navigate' ? await cache.match(new URL('./', self.location.href).href) : undefined);
        if (copy) return copy;
        throw offline;
      }
    })(),
  );
});
