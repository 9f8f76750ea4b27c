import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { JSONSerializer } from 'fabric-contract-api';
import { contracts, ERROR_CODES, EVENTS } from '../../src/index.js';
import {
  ChaincodeError,
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  OverpaymentError,
  ValidationError,
} from '../../src/errors.js';
import { KEY_TYPES, versionAttribute } from '../../src/ledger/keys.js';
import { endorsementPolicy, Ledger } from '../../src/ledger/ledger.js';
import { parseCampaign } from '../../src/models/campaign.js';
import { parseDeliveryReport } from '../../src/models/delivery-report.js';
import { parseInvoice } from '../../src/models/invoice.js';
import { parsePayment } from '../../src/models/payment.js';
import { parseResolution } from '../../src/models/resolution.js';
import { parseRoleEntry } from '../../src/models/role-entry.js';
import { TRANSACTIONS } from '@adrecon/contract';
import { parseTransactionArguments } from '../../src/arguments.js';
import { dateMs, instantMs } from '../../src/domain/calendar.js';
import { FakeNetwork } from './support/fake-network.js';
import { decodePolicy } from './support/policy.js';
import { ADV, AGY, CAMPAIGN, PUB, Scenario, day, expectError, reportInput } from './support/scenario.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (
  classes: unknown[],
  serializers: unknown,
  metadata: unknown,
  title: string,
  version: string,
) => { metadata: { contracts: Record<string, { transactions: { name: string }[] }> } };

describe('chaincode package', () => {
  it('exports the five contracts, which fabric-shim turns into chaincode metadata', () => {
    const names = contracts.map((c) => new c().getName());
    expect(names).to.deep.equal(['roles', 'campaigns', 'delivery', 'reconciliation', 'billing']);
    const chaincode = new ChaincodeFromContract(
      [...contracts],
      { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } },
      {},
      'adrecon',
      '0.1.0',
    );
    const transactions = chaincode.metadata.contracts.campaigns?.transactions.map((t) => t.name);
    expect(transactions).to.include.members([
      'Propose',
      'Amend',
      'Accept',
      'Cancel',
      'Complete',
      'Get',
      'GetVersion',
      'List',
      'History',
    ]);
    expect(chaincode.metadata.contracts.billing?.transactions.map((t) => t.name)).to.include.members([
      'IssueInvoice',
      'GetInvoice',
      'ListInvoices',
      'RecordPayment',
      'ListPayments',
      'IssueCreditNote',
      'AcceptCreditNote',
      'ListCreditNotes',
    ]);
  });

  it('names twenty-two events and ten error codes', () => {
    expect(Object.values(EVENTS)).to.have.length(22);
    expect(ERROR_CODES).to.include.members(['VALIDATION_FAILED', 'OVERPAYMENT', 'ROLE_NOT_FOUND']);
  });
});

describe('errors', () => {
  it('start their message with the stable code and keep the cause', () => {
    const cause = new Error('inner');
    const errors: [ChaincodeError, string][] = [
      [new ValidationError('bad', { cause }), 'VALIDATION_FAILED: bad'],
      [new ForbiddenError('no'), 'FORBIDDEN: no'],
      [new NotFoundError('INVOICE_NOT_FOUND', 'gone'), 'INVOICE_NOT_FOUND: gone'],
      [new ConflictError('dup'), 'CONFLICT: dup'],
      [new InvalidStateError('late'), 'INVALID_STATE: late'],
      [new OverpaymentError('much'), 'OVERPAYMENT: much'],
    ];
    for (const [error, message] of errors) {
      expect(error.message).to.equal(message);
      expect(error).to.be.instanceOf(ChaincodeError);
    }
    expect(errors[0]?.[0].cause).to.equal(cause);
    expect(errors[0]?.[0].detail).to.equal('bad');
  });
});

describe('validation helpers', () => {
  it('parse dates, instants and numeric arguments strictly', () => {
    expect(dateMs('2024-02-29', 'd')).to.equal(Date.UTC(2024, 1, 29));
    expect(() => dateMs('2025-02-29', 'd')).to.throw(/^VALIDATION_FAILED: d: must be an existing calendar date/);
    expect(instantMs('2026-03-01T10:00:00.500Z', 't')).to.equal(Date.UTC(2026, 2, 1, 10, 0, 0, 500));
    expect(() => instantMs('2026-03-01T24:00:00Z', 't')).to.throw(/^VALIDATION_FAILED/);
    expect(() => instantMs('2026-03-01T10:00:00+01:00', 't')).to.throw(/^VALIDATION_FAILED/);
    const accept = TRANSACTIONS.campaigns.Accept;
    expect(parseTransactionArguments(accept, ['c', '12'])).to.deep.equal(['c', 12]);
    expect(() => parseTransactionArguments(accept, ['c', '0'])).to.throw(/^VALIDATION_FAILED: version: /);
    expect(() => parseTransactionArguments(accept, ['c', '012'])).to.throw(/^VALIDATION_FAILED: version: /);
    const propose = TRANSACTIONS.reconciliation.ProposeResolution;
    const day = '2026-03-01T00:00:00Z';
    expect(parseTransactionArguments(propose, ['c', 'l', day, '0'])[3]).to.equal(0);
    expect(() => parseTransactionArguments(propose, ['c', 'l', day, '9007199254740992'])).to.throw(
      /^VALIDATION_FAILED: agreedImpressions: /,
    );
  });
});

describe('stored records are validated on every read', () => {
  it('refuses unknown and malformed fields in stored records', () => {
    expect(() => parseRoleEntry({ mspId: ADV, role: 'ADVERTISER', admin: true })).to.throw(/not a known field/);
    expect(() => parseCampaign({})).to.throw(/^VALIDATION_FAILED: campaign\.campaignId/);
    expect(() => parseDeliveryReport({ reportId: 'r' })).to.throw(/^VALIDATION_FAILED/);
    expect(() => parseResolution({ campaignId: 'c' })).to.throw(/^VALIDATION_FAILED/);
    expect(() => parseInvoice({ invoiceId: 'i' })).to.throw(/^VALIDATION_FAILED/);
    expect(() => parsePayment({ paymentId: 'p' })).to.throw(/^VALIDATION_FAILED/);
  });

  it('turns corrupt state into VALIDATION_FAILED rather than trusting it', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    const key = s.net.context(ADV).ctx.stub.createCompositeKey(KEY_TYPES.campaign, [CAMPAIGN]);
    const stored = s.net.read(key) as Record<string, unknown>;
    const marker = s.net.marker(key) as { c: string; h: string };
    const collection = s.net.privateState.get(marker.c)!;
    const original = collection.get(key)!;
    // A private value that does not match the public hash on the channel is not trusted.
    collection.set(key, Buffer.from(JSON.stringify({ s: 'x', v: stored })));
    try {
      await s.as(ADV, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
      expect.fail('read a private value that does not match its hash');
    } catch (err) {
      expect((err as Error).message).to.match(/^VALIDATION_FAILED: .*does not match its public hash/);
    }
    // One that matches its hash but not the schema is refused by the parser.
    const corrupt = Buffer.from(JSON.stringify({ s: 'x', v: { ...stored, owner: 'mallory' } }));
    collection.set(key, corrupt);
    s.net.state.set(
      key,
      Buffer.from(JSON.stringify({ ...marker, h: createHash('sha256').update(corrupt).digest('hex') })),
    );
    try {
      await s.as(ADV, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
      expect.fail('read a corrupt campaign');
    } catch (err) {
      expect((err as Error).message).to.match(/^VALIDATION_FAILED: campaign\.owner: is not a known field/);
    }
    collection.set(key, original);
    // A public value that is not a marker is what colluders without the parties could write (any 3
    // organizations may create a public key): it has no private value, and reads as absent.
    s.net.state.set(key, Buffer.from('{not json'));
    await expectError(
      s.as(ADV, (ctx) => s.campaigns.Get(ctx, CAMPAIGN)),
      'CAMPAIGN_NOT_FOUND',
    );
  });
});

describe('ledger', () => {
  it('writes canonical bytes and the PEER policy of the given organizations', async () => {
    const net = new FakeNetwork();
    const { ctx, writes, parameters } = net.context(ADV);
    const ledger = new Ledger(ctx);
    await ledger.put(KEY_TYPES.role, ['X'], { role: 'AGENCY', mspId: 'X' }, [PUB, AGY, PUB]);
    const key = ledger.key(KEY_TYPES.role, ['X']);
    expect(writes.get(key)?.toString()).to.equal('{"mspId":"X","role":"AGENCY"}');
    expect(decodePolicy(parameters.get(key)!).orgs).to.deep.equal([AGY, PUB]);
    expect(decodePolicy(endorsementPolicy([ADV])).required).to.equal(1);
    expect(versionAttribute(12)).to.equal('000000012');
  });

  it('returns history with deletions and parsed values', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.submit(PUB, reportInput(day(1), 1));
    const key = s.net.context(ADV).ctx.stub.createCompositeKey(KEY_TYPES.role, [ADV]);
    await s.net.invoke(
      ADV,
      async (ctx) => {
        await ctx.stub.deleteState(key);
        return '{}';
      },
      { silentWrites: true },
    );
    const { ctx } = s.net.context(ADV);
    const history = await new Ledger(ctx).history(KEY_TYPES.role, [ADV], parseRoleEntry);
    expect(history.map((h) => [h.isDelete, h.value?.role ?? null])).to.deep.equal([
      [true, null],
      [false, 'ADVERTISER'],
    ]);
  });
});
