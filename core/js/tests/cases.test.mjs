// The shared case table (core/js/cases.json) against the built package, installed from its `npm pack`
// tarball the way a user installs it (dev.sh test does that before running this file):
//   node --test core/js/tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as core from '@entitle/core';

const table = JSON.parse(readFileSync(new URL('../cases.json', import.meta.url), 'utf8'));

for (const c of table.cases) {
  test(c.name, () => {
    assert.equal(typeof core[c.fn], 'function', `the package exports ${c.fn}`);
    assert.deepStrictEqual(core[c.fn](...c.args), c.expected);
  });
}

test('answers are plain JSON objects, the same after a round trip through JSON', () => {
  const c = table.cases.find((x) => x.fn === 'priceCart' && x.expected.status === 'valid');
  const answer = core.priceCart(...c.args);
  assert.equal(Object.getPrototypeOf(answer), Object.prototype);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(answer)), answer);
});

test('an input of the wrong shape throws a TypeError that names what is missing', () => {
  assert.throws(() => core.priceCart({ lines: [] }), (e) => e instanceof TypeError && /price_list/.test(e.message));
  assert.throws(() => core.checkSecurityCode('123', 'visa-ish', 'en'), TypeError);
  assert.throws(() => core.checkCardNumber('4111', 'fr'), TypeError);
});

test('formatting an amount or a date that is not one throws a RangeError', () => {
  assert.throws(() => core.formatMoney('12,50', 'EUR', 'en'), RangeError);
  assert.throws(() => core.formatDate('2027-02-30', 'en'), RangeError);
  assert.throws(() => core.formatMonth(2027, 13, 'id'), RangeError);
});

test('the language may be left out: English', () => {
  assert.equal(core.checkEmail('x@', undefined).problems[0].message, core.checkEmail('x@', 'en').problems[0].message);
  assert.equal(core.formatDate('2027-08-17'), '17 Aug 2027');
});

test('the rows of a priced cart add up to its totals', () => {
  for (const c of table.cases.filter((x) => x.fn === 'priceCart' && x.expected.status === 'valid')) {
    const { value } = core.priceCart(...c.args);
    const cents = (s) => BigInt(s.replace('.', ''));
    for (const key of ['extended', 'discount', 'net', 'tax', 'total']) {
      const sum = value.lines.reduce((a, l) => a + cents(l[key]), 0n);
      assert.equal(sum, cents(value[key === 'extended' ? 'subtotal' : key]), `${c.name}: ${key}`);
    }
  }
});
