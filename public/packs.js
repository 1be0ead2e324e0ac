// Where the route modules come from (see scripts/pack-routes.py). When the page starts on a route, boot.js
// asks for that route's pack: one request, fetched while the main module downloads, instead of a chain
// of a hundred small files after it. Every other module (a route opened later) is its own file, which
// the service worker keeps. The build replaces the table: [path pattern, pack file].
const ROUTES = /*@ROUTES@*/[];

let pack = null; // Promise of Map(file name -> bytes), while the start route's pack is wanted
const packed = new Map();

function unpack(buf) {
  const view = new DataView(buf);
  const count = view.getUint32(0, true);
  const entries = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    const len = view.getUint8(at);
    const name = String.fromCharCode(...new Uint8Array(buf, at + 1, len));
    entries.push([name, view.getUint32(at + 1 + len, true)]);
    at += 5 + len;
  }
  for (const [name, size] of entries) {
    packed.set(name, new Uint8Array(buf, at, size));
    at += size;
  }
}

/** Starts fetching the pack of the route at `pathname` (unless the service worker keeps every file). */
export function prefetch(pathname) {
  if (navigator.serviceWorker && navigator.serviceWorker.controller) return;
  const route = ROUTES.find(([pattern]) => new RegExp(pattern).test(pathname));
  if (!route) return;
  // Low priority, like the main module's preload: nothing of it is needed for the first paint.
  pack = fetch(new URL('./' + route[1], import.meta.url), { priority: 'low' })
    .then((res) => (res.ok ? res.arrayBuffer() : Promise.reject(new Error(res.status))))
    .then(unpack)
    // Without the pack every module is fetched on its own, as it would be for a later route.
    .catch(() => {});
}

/** A module: its bytes from the pack, else the response of its own file. */
export async function module(file) {
  if (pack) await pack;
  const bytes = packed.get(file);
  if (bytes) {
    packed.delete(file);
    return bytes;
  }
  return fetch(new URL('./' + file, import.meta.url));
}

/** Instantiates what `module` gave. Bytes already here are compiled off the main thread as a whole;
 * streaming them through a Response costs ~0.5 ms of main thread per module, and a pack has a hundred. */
export async function instantiate(source, imports) {
  const got = await source;
  return got instanceof Response
    ? WebAssembly.instantiateStreaming(got, imports)
    : WebAssembly.instantiate(got, imports);
}
