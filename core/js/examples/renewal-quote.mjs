// Prices a renewal quote of a running portal with @entitle/core and compares the total with the
// portal's own — what a partner's quoting tool would do with the portal's API:
//
//   node core/js/examples/renewal-quote.mjs http://127.0.0.1:3000 primary@nusantara.example entitle-demo 7034521
//
// It signs in, opens the first renewal quote of the site (the demo's Jakarta HQ by default), reads each
// part's type from the catalog, prices the quote's lines with the package at the quote's unit prices
// and prints one JSON line; the exit status is 1 when the totals differ.
import { priceCart, formatMoney } from '@entitle/core';

const [base = 'http://127.0.0.1:3000', email = 'primary@nusantara.example', password = 'entitle-demo', site = '7034521'] =
  process.argv.slice(2);

let cookie = '';
let serverDate = '';
async function api(path, init = {}) {
  const res = await fetch(new URL(`/api/v1${path}`, base), {
    ...init,
    headers: { 'content-type': 'application/json', ...(cookie && { cookie }), ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  const set = res.headers.getSetCookie?.() ?? [];
  if (set.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
  serverDate = res.headers.get('date') ?? serverDate;
  return res.json();
}

await api('/session', { method: 'POST', body: JSON.stringify({ email, password }) });
const groups = await api('/renewals');
const summary = groups.flatMap((g) => g.quotes).find((q) => q.customer_number === site);
if (!summary) throw new Error(`no renewal quote for site ${site}`);
const quote = await api(`/renewals/${encodeURIComponent(summary.quote_number)}`);
const parts = await Promise.all(
  quote.lines.map((l) => api(`/catalog/parts/${l.part_number}?site=${encodeURIComponent(site)}`)),
);

// The quote's prices were fixed when it was issued: each line at its own unit price.
const currency = quote.total.currency;
const today = new Date(serverDate || Date.now()).toISOString().slice(0, 10);
const cart = priceCart({
  price_list: quote.lines.map((l, i) => ({
    part: l.part_number,
    part_type: parts[i].part_type,
    points_per_unit: 0,
    prices: [{ currency, level: quote.level, amount: l.unit_price.amount }],
  })),
  customer: {
    // PT Nusantara Data, the demo's Jakarta customer, holds a relationship agreement.
    agreement: 'relationship',
    level: quote.level,
    points: 0,
    country: quote.country,
    currency,
    anniversary: quote.summary.due_date,
    today,
  },
  lines: quote.lines.map((l, i) => ({
    part: l.part_number,
    quantity: l.quantity,
    term: parts[i].part_type === 'sns_reinstatement'
      ? { kind: 'standard' }
      : { kind: 'coverage', start: l.coverage_start, end: l.coverage_end },
  })),
});
if (cart.status !== 'valid') throw new Error(JSON.stringify(cart.problems));

const same = cart.value.total === quote.total.amount;
console.log(JSON.stringify({
  quote_number: quote.summary.quote_number,
  lines: cart.value.lines.length,
  portal_total: quote.total.amount,
  package_total: cart.value.total,
  package_total_en: formatMoney(cart.value.total, currency, 'en'),
  package_total_id: formatMoney(cart.value.total, currency, 'id'),
  same,
}));
process.exit(same ? 0 : 1);
