/*
 * The till's service worker (scope /pos/): keeps the app shell and its assets so the till starts and sells
 * after a reload while the network is down (POS-9). Hand-written, no build step:
 *  - install: fetch the shell (/pos/) and precache every asset it references (scripts, styles, module
 *    preloads), plus the manifest and icons;
 *  - navigations under /pos/: the cached shell at once when offline, else the network (refreshing the cache);
 *  - /assets/* (content-hashed, immutable): cache first, filled as they are fetched;
 *  - /api/*: never touched — the till's own outbox handles the network being down.
 */
const CACHE = 'erp-till-v1';
const SHELL = '/pos/';
const STATIC = ['/pos/manifest.webmanifest', '/pos/icon.svg', '/pos/icon-192.png', '/pos/icon-512.png'];

async function precache() {
  const cache = await caches.open(CACHE);
  const res = await fetch(SHELL, { cache: 'no-store' });
  if (!res.ok) throw new Error(`shell ${res.status}`);
  const html = await res.clone().text();
  await cache.put(SHELL, res);
  const assets = new Set(STATIC);
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) assets.add(m[1]);
  await Promise.all(
    [...assets].map(async (url) => {
      try {
        const r = await fetch(url, { cache: 'no-store' });
        if (r.ok) await cache.put(url, r);
      } catch {
        // an icon missing must not stop the shell from installing
      }
    }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

async function shellFirstWhenOffline(request) {
  const cache = await caches.open(CACHE);
  if (self.navigator && self.navigator.onLine === false) {
    const cached = await cache.match(SHELL);
    if (cached) return cached;
  }
  try {
    const res = await fetch(request);
    if (res.ok) {
      await cache.put(SHELL, res.clone());
      // A new deployment references new assets: cache them for the next offline start.
      const html = await res.clone().text();
      for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
        if (!(await cache.match(m[1])))
          fetch(m[1])
            .then((r) => r.ok && cache.put(m[1], r))
            .catch(() => undefined);
      }
    }
    return res;
  } catch (e) {
    const cached = await cache.match(SHELL);
    if (cached) return cached;
    throw e;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate' && url.pathname.startsWith('/pos')) {
    event.respondWith(shellFirstWhenOffline(request));
    return;
  }
  if (url.pathname.startsWith('/assets/') || STATIC.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
