// The page's service worker: keeps a copy of the page's own files so it opens and works with
// no network once it has been loaded. It never touches another origin and never sees user
// data (files are read by the page, not fetched). Network first, so a connected page is always
// current; the copy is only the fallback.
const CACHE = 'revlens-page-v1';

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
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
      event.source?.postMessage({ cached: urls.length });
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
