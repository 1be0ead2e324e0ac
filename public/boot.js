// Starts the WebAssembly app. A file, not an inline script, so the Content-Security-Policy can forbid
// inline scripts. It sits beside the JS glue and the wasm under /assets/<hash>/.
//
// Before the main module is even compiled, it asks for what the first screen needs, all at once: the
// route's modules (packs.js), who is signed in and the screen's data. The app's API client takes these
// answers instead of asking again (app/src/api/early.rs): each is kept under the language and the path
// the client would send, so one asked for differently is simply not used.
import { prefetch } from './packs.js';

prefetch(location.pathname);

const early = new Map();
globalThis.entitleEarly = early;
const language = chosenLanguage();
const ask = (path) => {
  const answer = fetch(path, { headers: { Accept: 'application/json', 'Accept-Language': language } });
  early.set(`${language} ${path}`, answer);
  return answer;
};
const session = ask('/api/v1/session')
  .then((res) => (res.ok ? res.clone().json() : null))
  .catch(() => null);
askForData(location.pathname, new URLSearchParams(location.search));

// The header bar of index.html is painted before the main module's compilation takes the thread.
await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));
const { default: init } = await import('./entitle_app.js');
await init({ module_or_path: new URL('./entitle_app_bg.wasm', import.meta.url) });

if ('serviceWorker' in navigator) {
  // The worker keeps the app shell for offline reloads (public/sw.js); failing to register is harmless.
  navigator.serviceWorker.register('/sw.js').catch(() => {});
}

// The screens whose first view is data: what their page asks for first, built as the app builds it.
async function askForData(pathname, params) {
  const quote = /^\/renewals\/([^/]+)$/.exec(pathname);
  if (quote) {
    // app/src/pages/quote.rs: the quote, whoever is signed in (the server decides who may see it).
    ask(`/api/v1/renewals/${encode(decodeURIComponent(quote[1]))}`);
    return;
  }
  if (pathname !== '/catalog' && pathname !== '/checkout') return;
  const site = workingSite(await session);
  if (pathname === '/checkout') {
    // app/src/pages/checkout/mod.rs: the options and the cart of the site, together.
    if (!site) return;
    ask(`/api/v1/checkout?site=${encode(site)}`);
    ask(`/api/v1/cart?site=${encode(site)}`);
    return;
  }
  // app/src/pages/catalog.rs: the page's filters in the order of CatalogQuery::to_query_string, priced
  // for the site the user works on unless the address names one.
  const pairs = [];
  const keep = (key, value) => value && pairs.push(`${key}=${encode(value)}`);
  keep('q', params.get('q')?.trim() ? params.get('q') : null);
  for (const key of ['category', 'part_type', 'metric']) keep(key, params.get(key));
  const page = params.get('page');
  keep('page', /^\d+$/.test(page ?? '') && Number(page) > 1 ? String(Number(page)) : null);
  keep('sort', params.get('sort') === 'relevance' ? null : params.get('sort'));
  keep('currency', params.get('currency'));
  keep('site', params.get('site') || site);
  ask(`/api/v1/catalog/parts?${pairs.join('&')}`);
}

// The language app/src/i18n.rs starts with: the one remembered on this device, else the browser's, if
// the screens are translated into it (i18n::OFFERED), else English.
function chosenLanguage() {
  const offered = (tag) => {
    const primary = (tag ?? '').split(/[-_]/)[0].toLowerCase();
    const known = primary === 'in' ? 'id' : primary;
    return ['en', 'id'].includes(known) ? known : null;
  };
  let remembered = null;
  try { remembered = localStorage.getItem('entitle.locale'); } catch { /* storage refused */ }
  return offered(remembered) ?? offered(navigator.language) ?? 'en';
}

// The site app/src/ui.rs's current_site() picks: the remembered one if the user still has it, else
// their first site where they may buy, else their first site.
function workingSite(info) {
  if (!info || !Array.isArray(info.sites) || info.sites.length === 0) return null;
  let remembered = null;
  try { remembered = localStorage.getItem('entitle.site'); } catch { /* storage refused */ }
  const site = info.sites.find((s) => s.customer_number === remembered)
    ?? info.sites.find((s) => s.privileges?.buy)
    ?? info.sites[0];
  return site.customer_number;
}

// Percent-encoding as core's percent_encode_into: everything but ASCII letters, digits and -_.~.
function encode(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
