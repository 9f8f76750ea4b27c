import {
  cancelReasonSchema,
  campaignListQuerySchema,
  campaignProposalSchema,
  campaignTermsSchema,
  countSchema,
  deliveryBatchSchema,
  deliveryListQuerySchema,
  deliveryReportInputSchema,
  invoiceInputSchema,
  paymentInputSchema,
  reconciliationListQuerySchema,
  reportQuerySchema,
  TRANSACTIONS,
  versionSchema,
  type TransactionDefinition,
} from '@adrecon/contract';
import { parseTransactionArguments } from '@adrecon/chaincode';
import { expect } from 'chai';
import fc from 'fast-check';
import request from 'supertest';
import type { z } from 'zod';
import { bearer, campaign, KEYS, newTestApp } from './fakes';
import { schemaArbitrary } from './support/schema-arbitrary';

interface AgreementCase {
  readonly definition: TransactionDefinition;
  /** The contract schema the inputs are generated from. */
  readonly schema: z.ZodType;
  readonly key: string;
  readonly method: 'get' | 'post';
  readonly url: string;
  /** The request body (POST) or query (GET) carrying the generated value. */
  readonly carry: (value: unknown) => object;
  /** The arguments the chaincode would receive for the value unvalidated, when they are the value's JSON. */
  readonly unvalidated?: (value: unknown) => string[];
  /**
   * Generated inputs (default 200). A campaign proposal has so many fields that only a few in a hundred are valid,
   * so it gets more: 1,000 leave no real chance of a run with none accepted.
   */
  readonly runs?: number;
  /** Canned answers of reads the route makes first (an amendment reads the campaign's parties). */
  readonly answers?: Readonly<Record<string, unknown>>;
}

const day = '2026-03-01T00:00:00Z';
const json = (value: unknown): string[] => [JSON.stringify(value)];

/** A query as HTTP can carry it: every present value as text. */
function asQuery(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { value: String(value) };
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
  return Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

const cases: readonly AgreementCase[] = [
  {
    definition: TRANSACTIONS.campaigns.Propose,
    schema: campaignProposalSchema,
    key: KEYS.advertiserOps,
    method: 'post',
    url: '/campaigns',
    carry: (v) => v as object,
    unvalidated: json,
    runs: 1000,
  },
  {
    definition: TRANSACTIONS.campaigns.Amend,
    schema: campaignTermsSchema,
    key: KEYS.advertiserOps,
    method: 'post',
    url: '/campaigns/c-1/amendments',
    carry: (v) => v as object,
    unvalidated: (v) => ['c-1', ...json(v)],
    answers: { 'campaigns:Get': campaign },
  },
  {
    definition: TRANSACTIONS.campaigns.Accept,
    schema: versionSchema,
    key: KEYS.publisherOps,
    method: 'post',
    url: '/campaigns/c-1/acceptances',
    carry: (v) => ({ version: v }),
  },
  {
    definition: TRANSACTIONS.campaigns.Cancel,
    schema: cancelReasonSchema,
    key: KEYS.advertiserOps,
    method: 'post',
    url: '/campaigns/c-1/cancellation',
    carry: (v) => ({ reason: v }),
  },
  {
    definition: TRANSACTIONS.delivery.Submit,
    schema: deliveryReportInputSchema,
    key: KEYS.publisherOps,
    method: 'post',
    url: '/delivery-reports',
    carry: (v) => v as object,
    unvalidated: json,
  },
  {
    definition: TRANSACTIONS.delivery.SubmitBatch,
    schema: deliveryBatchSchema,
    key: KEYS.publisherOps,
    method: 'post',
    url: '/delivery-reports/batch',
    carry: (v) => ({ reports: v }),
    unvalidated: json,
  },
  {
    definition: TRANSACTIONS.reconciliation.ProposeResolution,
    schema: countSchema,
    key: KEYS.publisherOps,
    method: 'post',
    url: `/reconciliations/c-1/li-1/${day}/resolution-proposals`,
    carry: (v) => ({ agreedImpressions: v }),
  },
  {
    definition: TRANSACTIONS.billing.IssueInvoice,
    schema: invoiceInputSchema,
    key: KEYS.publisherFinance,
    method: 'post',
    url: '/invoices',
    carry: (v) => v as object,
    unvalidated: json,
  },
  {
    definition: TRANSACTIONS.billing.RecordPayment,
    schema: paymentInputSchema,
    key: KEYS.advertiserFinance,
    method: 'post',
    url: '/payments',
    carry: (v) => v as object,
    unvalidated: json,
  },
  {
    definition: TRANSACTIONS.reconciliation.List,
    schema: reconciliationListQuerySchema,
    key: KEYS.advertiserFinance,
    method: 'get',
    url: '/reconciliations',
    carry: asQuery,
    unvalidated: (v) => json(asQuery(v)),
  },
  {
    definition: TRANSACTIONS.reconciliation.Report,
    schema: reportQuerySchema,
    key: KEYS.advertiserFinance,
    method: 'get',
    url: '/reports/reconciliation',
    carry: asQuery,
    unvalidated: (v) => json(asQuery(v)),
  },
  {
    definition: TRANSACTIONS.campaigns.List,
    schema: campaignListQuerySchema,
    key: KEYS.advertiserOps,
    method: 'get',
    url: '/campaigns',
    carry: asQuery,
  },
  {
    definition: TRANSACTIONS.delivery.List,
    schema: deliveryListQuerySchema,
    key: KEYS.advertiserOps,
    method: 'get',
    url: '/delivery-reports',
    carry: asQuery,
  },
];

function chaincodeAccepts(definition: TransactionDefinition, args: readonly string[]): boolean {
  try {
    parseTransactionArguments(definition, args);
    return true;
  } catch (err) {
    expect((err as Error).message).to.match(/^VALIDATION_FAILED: /);
    return false;
  }
}

/**
 * Drift cannot come back: inputs generated from the contract's schemas go through the REST API (validation and
 * the typed facade's encoding) and through the chaincode's argument parsing, and both must agree.
 */
describe('REST validation and chaincode parsing agree on every generated input', () => {
  for (const c of cases) {
    const name = `${c.definition.contract}:${c.definition.name}`;
    it(`${name} (${c.method.toUpperCase()} ${c.url})`, async function () {
      // Up to 1,000 requests through the app: seconds on a busy machine.
      this.timeout(120_000);
      const { app, ledger } = newTestApp();
      for (const [transaction, answer] of Object.entries(c.answers ?? {})) ledger.answer(transaction, answer);
      const seen = { accepted: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(schemaArbitrary(c.schema), async (value) => {
          const before = ledger.calls.length;
          const req = request(app)[c.method](c.url).set('Authorization', bearer(c.key));
          const res = c.method === 'post' ? await req.send(c.carry(value)) : await req.query(c.carry(value));
          if (res.status === 400) {
            seen.refused++;
            expect((res.body as { error: { code: string } }).error.code).to.equal('VALIDATION_FAILED');
            expect(ledger.calls.length, 'a refused request reaches no ledger').to.equal(before);
            if (c.unvalidated !== undefined) {
              const args = c.unvalidated(value);
              expect(chaincodeAccepts(c.definition, args), `REST refused, chaincode accepted ${args.join(' ')}`).to.be
                .false;
            }
            return;
          }
          seen.accepted++;
          // The request's own transaction (a campaign write is followed by a read of the caller's view, and a
          // proposal with several publishers is preceded by its line items' terms).
          const call = ledger.calls.slice(before).find((made) => made.transaction === name);
          expect(call?.transaction).to.equal(name);
          expect(chaincodeAccepts(c.definition, call?.args ?? []), `chaincode refused ${call?.args.join(' ')}`).to.be
            .true;
        }),
        { numRuns: c.runs ?? 200 },
      );
      expect(seen.accepted, 'some generated inputs are valid').to.be.greaterThan(0);
      expect(seen.refused, 'some generated inputs are invalid').to.be.greaterThan(0);
    });
  }
});
