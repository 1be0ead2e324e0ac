// Type-checked (never run) by dev.sh test with `tsc --strict`: the package's generated declarations
// describe its inputs and answers well enough for a TypeScript caller to be checked.
import { priceCart, checkCardNumber, formatMoney, type CartInput, type Checked, type PricedCart } from '@entitle/core';

const input: CartInput = {
  price_list: [{ part: 'E0ABCLL', part_type: 'sns_renewal', points_per_unit: 10, prices: [{ currency: 'IDR', level: 'E', amount: '1500000.00' }] }],
  customer: { agreement: 'relationship', level: 'E', points: 1200, country: 'ID', currency: 'IDR', anniversary: '2027-03-31', today: '2026-12-01' },
  lines: [{ part: 'E0ABCLL', quantity: 2, term: { kind: 'coverage', start: '2027-03-31', end: '2028-03-31' } }],
  locale: 'id',
};
const cart: Checked<PricedCart> = priceCart(input);
if (cart.status === 'valid') {
  const total: string = formatMoney(cart.value.total, cart.value.currency, 'id');
  const firstReason: string | undefined = cart.value.lines[0]?.explanations[0]?.text;
  console.log(total, firstReason);
} else {
  for (const p of cart.problems) console.log(p.field, p.code, p.message);
}
const card = checkCardNumber('4111 1111 1111 1111', 'en');
if (card.status === 'valid') {
  const digits: number = card.value.security_code_length;
  console.log(card.value.brand, digits);
}
// @ts-expect-error: 'XX' is not a price level the declarations allow
const wrong: CartInput['price_list'][number]['prices'][number] = { currency: 'IDR', level: 'XX', amount: '1' };
console.log(wrong);
