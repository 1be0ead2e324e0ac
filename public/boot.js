// Starts the WebAssembly app. A file, not an inline script, so the Content-Security-Policy can forbid
// inline scripts. It sits beside the JS glue and the wasm under /assets/<hash>/.
import init from './entitle_app.js';

await init({ module_or_path: new URL('./entitle_app_bg.wasm', import.meta.url) });

if ('serviceWorker' in navigator) {
  // The worker keeps the app shell for offline reloads (public/sw.js); failing to register is harmless.
  navigator.serviceWorker.register('/sw.js').catch(() => {});
}
