import { expect } from 'chai';
import fc from 'fast-check';

import {
  encodeImpressionRecord,
  MAX_ENCODED_RECORD_BYTES,
  MerkleInputError,
  parseImpressionRecord,
  type ImpressionRecord,
} from '../../src/index.js';
import { impressionRecord } from './support/arbitraries.js';

const ascii = (text: string): number[] => [...Buffer.from(text, 'ascii')];

const base: ImpressionRecord = {
  impressionId: 'imp-1',
  timestamp: '2026-11-01T12:00:00.000Z',
  campaignId: 'c1',
  lineItemId: 'li1',
};

describe('encodeImpressionRecord', () => {
  it('writes the documented bytes: version, length-prefixed fields, presence bytes for optional fields', () => {
    const bytes = encodeImpressionRecord({ ...base, creativeId: 'cr9' });
    expect([...bytes]).to.deep.equal([
      0x01,
      ...[0x00, 0x05, ...ascii('imp-1')],
      ...[0x00, 0x18, ...ascii('2026-11-01T12:00:00.000Z')],
      ...[0x00, 0x02, ...ascii('c1')],
      ...[0x00, 0x03, ...ascii('li1')],
      0x00,
      ...[0x01, 0x00, 0x03, ...ascii('cr9')],
    ]);
  });

  it('encodes absent and undefined optional fields the same way', () => {
    expect([...encodeImpressionRecord({ ...base, placementId: undefined })]).to.deep.equal([
      ...encodeImpressionRecord(base),
    ]);
  });

  it('does not depend on property order', () => {
    const reordered: ImpressionRecord = {
      lineItemId: 'li1',
      campaignId: 'c1',
      timestamp: '2026-11-01T12:00:00.000Z',
      impressionId: 'imp-1',
    };
    expect([...encodeImpressionRecord(reordered)]).to.deep.equal([...encodeImpressionRecord(base)]);
  });

  it('is injective: different records give different bytes', () => {
    fc.assert(
      fc.property(impressionRecord, impressionRecord, (first, second) => {
        const sameFieldwise =
          first.impressionId === second.impressionId &&
          first.timestamp === second.timestamp &&
          first.campaignId === second.campaignId &&
          first.lineItemId === second.lineItemId &&
          first.placementId === second.placementId &&
          first.creativeId === second.creativeId;
        const equalBytes = Buffer.from(encodeImpressionRecord(first)).equals(encodeImpressionRecord(second));
        expect(equalBytes).to.equal(sameFieldwise);
      }),
      { numRuns: 500 },
    );
  });

  it('is injective on records drawn from a tiny alphabet, where near-collisions are common', () => {
    const tiny = fc.stringMatching(/^[ab]{1,3}$/);
    const tinyRecord: fc.Arbitrary<ImpressionRecord> = fc.record(
      {
        impressionId: tiny,
        timestamp: fc.constantFrom('2026-11-01T12:00:00.000Z', '2026-11-01T12:00:00.001Z'),
        campaignId: tiny,
        lineItemId: tiny,
        placementId: tiny,
        creativeId: tiny,
      },
      { requiredKeys: ['impressionId', 'timestamp', 'campaignId', 'lineItemId'] },
    );
    const key = (record: ImpressionRecord): string =>
      JSON.stringify([
        record.impressionId,
        record.timestamp,
        record.campaignId,
        record.lineItemId,
        record.placementId ?? null,
        record.creativeId ?? null,
      ]);
    fc.assert(
      fc.property(fc.uniqueArray(tinyRecord, { minLength: 2, maxLength: 60, selector: key }), (records) => {
        const encodings = new Set(records.map((record) => Buffer.from(encodeImpressionRecord(record)).toString('hex')));
        expect(encodings.size).to.equal(records.length);
      }),
      { numRuns: 300 },
    );
  });

  it('is injective on near-identical records where fields shift content between each other', () => {
    const records: ImpressionRecord[] = [
      { ...base, placementId: 'ab' },
      { ...base, creativeId: 'ab' },
      { ...base, placementId: 'a', creativeId: 'b' },
      { ...base, impressionId: 'imp-1c', campaignId: '1' },
      { ...base, impressionId: 'imp-', campaignId: '1c1' },
    ];
    const encodings = new Set(records.map((record) => Buffer.from(encodeImpressionRecord(record)).toString('hex')));
    expect(encodings.size).to.equal(records.length);
  });

  it('stays within MAX_ENCODED_RECORD_BYTES at the longest fields', () => {
    const longest: ImpressionRecord = {
      impressionId: 'i'.repeat(128),
      timestamp: '9999-12-31T23:59:59.999Z',
      campaignId: 'c'.repeat(64),
      lineItemId: 'l'.repeat(64),
      placementId: 'p'.repeat(128),
      creativeId: 'r'.repeat(128),
    };
    expect(encodeImpressionRecord(longest)).to.have.length(MAX_ENCODED_RECORD_BYTES);
  });

  it('returns a Uint8Array that does not alias an internal buffer', () => {
    const first = encodeImpressionRecord(base);
    const copy = [...first];
    encodeImpressionRecord({ ...base, impressionId: 'other' });
    expect([...first]).to.deep.equal(copy);
  });
});

describe('impression record validation', () => {
  const cases: [string, unknown, string][] = [
    ['a non-object', 'imp-1', 'record: must be an object'],
    ['null', null, 'record: must be an object'],
    ['an array', [], 'record: must be an object'],
    ['an unknown field', { ...base, userAgent: 'x' }, 'record.userAgent: is not a field of an impression record'],
    ['a missing impressionId', { ...base, impressionId: undefined }, 'record.impressionId: must be 1 to 128'],
    ['an empty impressionId', { ...base, impressionId: '' }, 'record.impressionId: must be 1 to 128'],
    ['a space in impressionId', { ...base, impressionId: 'a b' }, 'record.impressionId: must be 1 to 128'],
    ['non-ASCII in impressionId', { ...base, impressionId: 'imp-é' }, 'record.impressionId: must be 1 to 128'],
    ['a 129-char impressionId', { ...base, impressionId: 'x'.repeat(129) }, 'record.impressionId: must be 1 to 128'],
    ['a numeric timestamp', { ...base, timestamp: 1767268800000 }, 'record.timestamp: must be an ISO 8601'],
    ['a date-only timestamp', { ...base, timestamp: '2026-11-01' }, 'record.timestamp: must be an ISO 8601'],
    ['a timestamp without ms', { ...base, timestamp: '2026-11-01T12:00:00Z' }, 'record.timestamp: must be an ISO'],
    ['an offset timestamp', { ...base, timestamp: '2026-11-01T12:00:00.000+01:00' }, 'record.timestamp: must be'],
    ['a lowercase z', { ...base, timestamp: '2026-11-01T12:00:00.000z' }, 'record.timestamp: must be an ISO'],
    ['February 30', { ...base, timestamp: '2026-02-30T12:00:00.000Z' }, 'record.timestamp: must be an ISO 8601'],
    ['February 29 of 2100', { ...base, timestamp: '2100-02-29T12:00:00.000Z' }, 'record.timestamp: must be an ISO'],
    ['hour 24', { ...base, timestamp: '2026-11-01T24:00:00.000Z' }, 'record.timestamp: must be an ISO 8601'],
    ['second 60', { ...base, timestamp: '2026-11-01T23:59:60.000Z' }, 'record.timestamp: must be an ISO 8601'],
    ['month 13', { ...base, timestamp: '2026-13-01T00:00:00.000Z' }, 'record.timestamp: must be an ISO 8601'],
    ['a campaignId with a slash', { ...base, campaignId: 'a/b' }, 'record.campaignId: must be an identifier'],
    ['a 65-char lineItemId', { ...base, lineItemId: 'l'.repeat(65) }, 'record.lineItemId: must be an identifier'],
    ['a numeric placementId', { ...base, placementId: 42 }, 'record.placementId: must be absent or 1 to 128'],
    ['an empty creativeId', { ...base, creativeId: '' }, 'record.creativeId: must be absent or 1 to 128'],
  ];

  for (const [name, value, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(() => parseImpressionRecord(value)).to.throw(MerkleInputError, message);
      expect(() => encodeImpressionRecord(value as ImpressionRecord)).to.throw(MerkleInputError, message);
    });
  }

  it('accepts leap days, the end of a day and year boundaries', () => {
    for (const timestamp of ['2024-02-29T00:00:00.000Z', '2000-02-29T23:59:59.999Z', '1999-12-31T23:59:59.999Z']) {
      expect(parseImpressionRecord({ ...base, timestamp }).timestamp).to.equal(timestamp);
    }
  });

  it('accepts every timestamp Date#toISOString writes for years 0 to 9999', () => {
    fc.assert(
      fc.property(impressionRecord, (record) => {
        expect(parseImpressionRecord(record)).to.deep.equal(JSON.parse(JSON.stringify(record)));
      }),
    );
  });

  it('parseImpressionRecord returns a copy without undefined optional fields', () => {
    const parsed = parseImpressionRecord({ ...base, placementId: undefined, creativeId: 'cr' });
    expect(parsed).to.deep.equal({ ...base, creativeId: 'cr' });
    expect(Object.keys(parsed)).to.not.include('placementId');
  });

  it('reports the field and reason separately', () => {
    try {
      parseImpressionRecord({ ...base, lineItemId: '' });
      expect.fail('expected a MerkleInputError');
    } catch (error) {
      expect(error).to.be.instanceOf(MerkleInputError);
      const inputError = error as MerkleInputError;
      expect(inputError.name).to.equal('MerkleInputError');
      expect(inputError.field).to.equal('record.lineItemId');
      expect(inputError.reason).to.match(/^must be an identifier matching \[A-Za-z0-9._-\]\{1,64\}, got ""/);
    }
  });
});
