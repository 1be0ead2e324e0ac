// Entitle's service worker: keeps the app shell (index.html and every asset of this build, the lazily
// loaded route chunks included) so that a reload or a screen opened while offline still starts the app.
// The build prepends `BUILD` (the asset hash) and `SHELL` (the URLs to keep).
// The API is never cached: prices and orders always come from the server; drafts live in localStorage.
const CACHE = `entitle-shell-${BUILD}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('entitle-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    // Network first so a new build is picked up at once; the kept shell when offline.
    event.respondWith(
      fetch(req).catch(() => caches.match('/', { cacheName: CACHE }).then((r) => r || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed, immutable: the cache is always right.
    event.respondWith(caches.match(req, { cacheName: CACHE }).then((r) => r || fetch(req)));
  }
});
