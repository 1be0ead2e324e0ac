// The declarations are wasm-bindgen's, generated from the Rust types (core/js/src/types.rs); this file
// only re-exports them without the loader, which index.js runs on import.
export * from './entitle_core_js.js';
