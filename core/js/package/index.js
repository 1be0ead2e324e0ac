// The entry point of @entitle/core: loads the WebAssembly module once, then re-exports its functions.
//
// wasm-bindgen's `web` glue fetches the module by URL, which browsers (and bundlers that understand
// `new URL(…, import.meta.url)`) can do but Node's fetch cannot for a file: URL, so Node reads the
// bytes from disk instead. Top-level await means an `import` of this module resolves only once the
// rules are ready: no init call for the user to forget.
import init from './entitle_core_js.js';

const wasm = new URL('./entitle_core_js_bg.wasm', import.meta.url);
if (wasm.protocol === 'file:') {
  const { readFile } = await import('node:fs/promises');
  await init({ module_or_path: await readFile(wasm) });
} else {
  await init({ module_or_path: wasm });
}

export * from './entitle_core_js.js';
