// Starts the WebAssembly app. A file, not an inline script, so the Content-Security-Policy can forbid
// inline scripts. It sits beside the JS glue and the wasm under /assets/<hash>/.
//
// Before the main module is even compiled, it asks for what the first screen needs, all at once: the
// route's modules (packs.js) and who is signed in (the app takes this answer instead of asking again,
// see app/src/api/session.rs). Data of the screen follows as soon as the app runs.
import { prefetch } from './packs.js';

prefetch(location.pathname);
globalThis.entitleSession = fetch('/api/v1/session', { headers: { Accept: 'application/json' } });

// The header bar of index.html is painted before the main module's compilation takes the thread.
await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));
const { default: init } = await import('./entitle_app.js');
await init({ module_or_path: new URL('./entitle_app_bg.wasm', import.meta.url) });

if ('serviceWorker' in navigator) {
  // The worker keeps the app shell for offline reloads (public/sw.js); failing to register is harmless.
  navigator.serviceWorker.register('/sw.js').catch(() => {});
}
