import { expect } from 'chai';
import {
  CHAINCODE_ERROR_CODES,
  decodeArguments,
  idSchema,
  instantSchema,
  LIMITS,
  qualifiedName,
  TRANSACTIONS,
  type TransactionDefinition,
} from '../../src/index.js';

const all = Object.entries(TRANSACTIONS).flatMap(([contract, transactions]) =>
  Object.entries(transactions).map(([name, definition]) => ({
    contract,
    name,
    definition: definition as TransactionDefinition,
  })),
);

describe('the transaction catalogue', () => {
  it('names each transaction once, under its own contract and name', () => {
    const names = all.map(({ definition }) => qualifiedName(definition));
    expect(new Set(names).size).to.equal(names.length);
    for (const { contract, name, definition } of all) {
      expect(definition.contract).to.equal(contract);
      expect(definition.name).to.equal(name);
      for (const code of definition.errors) expect(CHAINCODE_ERROR_CODES).to.include(code);
    }
    expect(names).to.include.members(['delivery:Submit', 'campaigns:Propose', 'billing:RecordPayment']);
  });

  it('decodes each encoding and names the argument and field of a failure', () => {
    const submit = TRANSACTIONS.delivery.Submit;
    expect(decodeArguments(submit, ['{'])).to.deep.equal({ success: false, detail: 'report is not valid JSON' });
    expect(decodeArguments(submit, [])).to.deep.include({ success: false });
    const accept = TRANSACTIONS.campaigns.Accept;
    expect(decodeArguments(accept, ['c-1', '7'])).to.deep.equal({ success: true, values: ['c-1', 7] });
    const bad = decodeArguments(accept, ['c-1', '1e3']);
    expect(bad.success ? '' : bad.detail).to.match(/^version: must be the decimal text of an integer/);
    const propose = decodeArguments(TRANSACTIONS.campaigns.Propose, [JSON.stringify({ campaignId: 'c', x: 1 })]);
    expect(propose.success ? '' : propose.detail).to.match(/^campaign\./);
  });
});

describe('shared rules', () => {
  it('refuses the identifiers . and .. and anything past the pattern', () => {
    for (const id of ['.', '..', '', 'a b', 'x'.repeat(LIMITS.idLength + 1)]) {
      expect(idSchema.safeParse(id).success, id).to.equal(false);
    }
    for (const id of ['...', '.a', 'a..b', 'x'.repeat(LIMITS.idLength)]) {
      expect(idSchema.safeParse(id).success, id).to.equal(true);
    }
  });

  it('normalizes instants to drop zero milliseconds and refuses impossible ones', () => {
    expect(instantSchema.parse('2026-03-01T00:00:00.000Z')).to.equal('2026-03-01T00:00:00Z');
    expect(instantSchema.parse('2026-03-01T00:00:00.250Z')).to.equal('2026-03-01T00:00:00.250Z');
    expect(instantSchema.safeParse('2026-02-30T00:00:00Z').success).to.equal(false);
    expect(instantSchema.safeParse('2026-03-01T00:00:00+01:00').success).to.equal(false);
  });
});
