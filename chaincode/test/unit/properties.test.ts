import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalJson } from '../../src/canonical-json.js';
import { amountMicros, amountOfDays, applyCap, applyDatedCaps, discrepancyBps } from '../../src/domain/arithmetic.js';
import { fullAmountFits } from '@adrecon/contract';

const count = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe('arithmetic properties', () => {
  it('discrepancyBps equals floor(|fp − tp| × 10000 / max(fp, tp)) in exact arithmetic, 0 when both are 0', () => {
    fc.assert(
      fc.property(count, count, (fp, tp) => {
        const high = BigInt(Math.max(fp, tp));
        const expected = high === 0n ? 0n : (BigInt(Math.abs(fp - tp)) * 10_000n) / high;
        const actual = discrepancyBps(fp, tp);
        expect(actual).to.equal(Number(expected));
        expect(actual).to.be.within(0, 10_000);
        expect(discrepancyBps(tp, fp)).to.equal(actual);
      }),
    );
    expect(discrepancyBps(0, 0)).to.equal(0);
    expect(discrepancyBps(99_000, 97_500)).to.equal(151);
    expect(discrepancyBps(0, 5)).to.equal(10_000);
  });

  it('applyDatedCaps is applyCap under one booking, and with bookings that change never lets a day pass its own', () => {
    const period = fc.record({
      uncapped: fc.integer({ min: 0, max: 1_000_000 }),
      frozen: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
      cap: fc.integer({ min: 0, max: 5_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(period, { maxLength: 40 }), fc.integer({ min: 0, max: 5_000_000 }), (periods, cap) => {
        expect(applyDatedCaps(periods.map((p) => ({ ...p, cap })))).to.deep.equal(applyCap(cap, periods));
        const billable = applyDatedCaps(periods);
        const frozenTotal = periods.reduce((sum, p) => sum + (p.frozen ?? 0), 0);
        let openSoFar = 0;
        periods.forEach((p, i) => {
          const b = billable[i]!;
          if (p.frozen !== undefined) {
            expect(b).to.equal(p.frozen);
            return;
          }
          expect(b).to.be.within(0, p.uncapped);
          openSoFar += b;
          // Every open day's booking holds everything billed up to it (when it billed anything at all).
          if (b > 0) expect(frozenTotal + openSoFar).to.be.at.most(p.cap);
        });
      }),
    );
  });

  it('amountOfDays rounds the exact sum of every day at its own price once, half up', () => {
    const day = fc.record({
      billableImpressions: fc.integer({ min: 0, max: 1_000_000_000 }),
      cpmMicros: fc.integer({ min: 0, max: 1_000_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(day, { maxLength: 30 }), (days) => {
        const exact = days.reduce((sum, d) => sum + BigInt(d.billableImpressions) * BigInt(d.cpmMicros), 0n);
        expect(amountOfDays(days)).to.equal(Number((exact + 500n) / 1000n));
        const [first] = days;
        if (first !== undefined) {
          const uniform = days.map((d) => ({ ...d, cpmMicros: first.cpmMicros }));
          const total = days.reduce((sum, d) => sum + d.billableImpressions, 0);
          expect(amountOfDays(uniform)).to.equal(amountMicros(total, first.cpmMicros));
        }
      }),
    );
  });

  it('fullAmountFits accepts exactly the bookings whose whole amount is a safe integer', () => {
    fc.assert(
      fc.property(count, count, (booked, cpm) => {
        const amount = (BigInt(booked) * BigInt(cpm) + 500n) / 1000n;
        expect(fullAmountFits(booked, cpm)).to.equal(amount <= BigInt(Number.MAX_SAFE_INTEGER));
        if (fullAmountFits(booked, cpm)) expect(() => amountMicros(booked, cpm)).to.not.throw();
      }),
    );
  });

  it('applyCap never passes the cap, keeps frozen counts, and is monotone in the uncapped counts', () => {
    const period = fc.record({
      uncapped: fc.integer({ min: 0, max: 1_000_000 }),
      frozen: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), fc.array(period, { maxLength: 40 }), (cap, periods) => {
        const billable = applyCap(cap, periods);
        const frozenTotal = periods.reduce((sum, p) => sum + (p.frozen ?? 0), 0);
        const free = billable.reduce((sum, b, i) => sum + (periods[i]?.frozen === undefined ? b : 0), 0);
        expect(free).to.be.at.most(Math.max(0, cap - frozenTotal));
        periods.forEach((p, i) => {
          const b = billable[i]!;
          if (p.frozen !== undefined) {
            expect(b).to.equal(p.frozen);
          } else {
            expect(b).to.be.within(0, p.uncapped);
          }
        });
        // With no frozen period (a period frozen at 0 still keeps its 0), the cap alone decides the total.
        if (periods.every((p) => p.frozen === undefined)) {
          expect(billable.reduce((a, b) => a + b, 0)).to.be.at.most(cap);
          expect(billable.reduce((a, b) => a + b, 0)).to.equal(
            Math.min(
              cap,
              periods.reduce((a, p) => a + p.uncapped, 0),
            ),
          );
        }
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.integer({ min: 0, max: 10_000 }),
        (cap, uncapped, pick, more) => {
          const index = pick % uncapped.length;
          const raised = uncapped.map((u, i) => (i === index ? u + more : u));
          const before = applyCap(
            cap,
            uncapped.map((u) => ({ uncapped: u })),
          );
          const after = applyCap(
            cap,
            raised.map((u) => ({ uncapped: u })),
          );
          const prefix = (list: number[], n: number) => list.slice(0, n + 1).reduce((a, b) => a + b, 0);
          for (let n = 0; n < uncapped.length; n++) {
            expect(prefix(after, n)).to.be.at.least(prefix(before, n));
          }
        },
      ),
    );
  });

  it('amountMicros rounds impressions × cpm / 1000 half up, like exact rational rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        (imps, cpm) => {
          const numerator = BigInt(imps) * BigInt(cpm);
          const floor = numerator / 1000n;
          const remainder = numerator % 1000n;
          const expected = remainder * 2n >= 1000n ? floor + 1n : floor;
          expect(amountMicros(imps, cpm)).to.equal(Number(expected));
        },
      ),
    );
    expect(amountMicros(1, 500)).to.equal(1);
    expect(amountMicros(1, 499)).to.equal(0);
    expect(amountMicros(3, 500)).to.equal(2);
    expect(() => amountMicros(Number.MAX_SAFE_INTEGER, 1_000_000)).to.throw(/^INVALID_STATE: /);
  });
});

describe('canonical JSON properties', () => {
  function shuffleKeys(value: unknown, seed: number): unknown {
    if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]!);
      return Object.fromEntries(rotated.reverse().map(([k, v]) => [k, shuffleKeys(v, seed + 1)]));
    }
    return value;
  }

  it('serializes equal values to equal bytes whatever the key order, and round-trips', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(10), (value, seed) => {
        const text = canonicalJson(value);
        expect(canonicalJson(shuffleKeys(value, seed))).to.equal(text);
        expect(canonicalJson(JSON.parse(text))).to.equal(text);
      }),
    );
  });

  it('sorts nested keys, drops undefined fields and refuses what JSON cannot hold', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: undefined }], c: null } })).to.equal(
      '{"a":{"c":null,"d":[{"z":1}]},"b":1}',
    );
    expect(canonicalJson(undefined)).to.equal('null');
    expect(canonicalJson([undefined])).to.equal('[null]');
    expect(() => canonicalJson({ x: Number.NaN })).to.throw(TypeError);
    expect(() => canonicalJson({ x: 1n })).to.throw(TypeError);
  });
});
