// Starts the WebAssembly app. Kept as a file (not an inline script) so the Content-Security-Policy can
// forbid inline scripts; Trunk fills in the hashed names of the JS glue and the wasm as data attributes.
const tag = document.querySelector('script[data-wasm]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
