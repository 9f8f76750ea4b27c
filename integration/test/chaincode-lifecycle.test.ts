import { EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import { campaignTerms, marchDay, uniqueId } from './support/campaign-fixtures';
import { awaitCommitted, submitCommitted } from './support/commits';
import { connectAs, evaluateJson, type OrgConnection } from './support/fabric-connection';
import { loadProfile, mspOf } from './support/network-profile';

interface Campaign {
  campaignId: string;
  version: number;
  status: string;
  acceptances: { mspId: string }[];
}
interface ReconciliationRow {
  periodStart: string;
  status: string;
  discrepancyBps: number | null;
  billableImpressions: number;
}
interface Invoice {
  invoiceId: string;
  amountMicros: number;
  billableImpressions: number;
  paidMicros: number;
  status: string;
}

const utf8 = new TextDecoder();
/** Fabric's TxValidationCode for a transaction whose endorsements do not satisfy a policy. */
const ENDORSEMENT_POLICY_FAILURE = 10;

/** Everything a Fabric error says, including each endorsing peer's chaincode message. */
function errorText(err: unknown): string {
  if (err instanceof GatewayError) return [err.message, ...err.details.map((d) => d.message)].join(' | ');
  return err instanceof Error ? err.message : String(err);
}

async function rejection(operation: () => Promise<unknown>): Promise<string> {
  try {
    await operation();
  } catch (err) {
    return errorText(err);
  }
  throw new Error('the operation succeeded but was expected to fail');
}

describe('the reconciliation chaincode on the real network', function () {
  this.timeout(120_000);
  const profile = loadProfile();
  const advertiserMsp = mspOf(profile, 'ADVERTISER');
  const agencyMsp = mspOf(profile, 'AGENCY');
  const publisherMsp = mspOf(profile, 'PUBLISHER');
  let advertiser: OrgConnection;
  let agency: OrgConnection;
  let publisher: OrgConnection;

  before(() => {
    advertiser = connectAs(profile, advertiserMsp);
    agency = connectAs(profile, agencyMsp);
    publisher = connectAs(profile, publisherMsp);
  });
  after(() => {
    [advertiser, agency, publisher].forEach((c) => {
      c.close();
    });
  });

  /** Submits, then waits until every party's peer has committed it: the next step may go through any of them. */
  async function submit(conn: OrgConnection, name: string, ...args: string[]): Promise<unknown> {
    const committed = await submitCommitted(conn, name, ...args);
    await awaitCommitted(committed.blockNumber, [advertiser, agency, publisher]);
    return JSON.parse(utf8.decode(committed.result)) as unknown;
  }

  it('runs a campaign from proposal to full payment with three organizations', async () => {
    const terms = campaignTerms(profile);
    const { campaignId } = terms;
    const lineItemId = terms.lineItems[0]!.lineItemId;

    const proposed = (await submit(advertiser, 'campaigns:Propose', JSON.stringify(terms))) as Campaign;
    expect(proposed.status).to.equal('PROPOSED');
    await submit(agency, 'campaigns:Accept', campaignId, '1');
    const active = (await submit(publisher, 'campaigns:Accept', campaignId, '1')) as Campaign;
    expect(active.status).to.equal('ACTIVE');
    expect(active.acceptances.map((a) => a.mspId).sort()).to.deep.equal(
      [advertiserMsp, agencyMsp, publisherMsp].sort(),
    );

    // Day 1: 99,000 vs 97,500 valid impressions, 151 bps apart: within the 10% tolerance.
    // Day 2: 100,000 vs 80,000, 2,000 bps apart: disputed.
    const report = (reportId: string, d: number, impressions: number, invalidImpressions: number) =>
      JSON.stringify({ reportId, campaignId, lineItemId, ...marchDay(d), impressions, invalidImpressions });
    await submit(publisher, 'delivery:Submit', report(uniqueId('fp'), 1, 100_000, 1_000));
    await submit(agency, 'delivery:Submit', report(uniqueId('tp'), 1, 98_000, 500));
    await submit(publisher, 'delivery:Submit', report(uniqueId('fp'), 2, 100_000, 0));
    await submit(agency, 'delivery:Submit', report(uniqueId('tp'), 2, 80_000, 0));

    const listed = await evaluateJson<{ records: ReconciliationRow[] }>(
      agency,
      'reconciliation:List',
      JSON.stringify({ campaignId, lineItemId }),
    );
    const byDay = new Map(listed.records.map((r) => [r.periodStart, r]));
    const day1 = byDay.get(marchDay(1).periodStart);
    const day2 = byDay.get(marchDay(2).periodStart);
    expect(day1?.status).to.equal('WITHIN_TOLERANCE');
    expect(day1?.discrepancyBps).to.equal(151);
    expect(day1?.billableImpressions, 'third-party count bills').to.equal(97_500);
    expect(day2?.status).to.equal('DISPUTED');
    expect(day2?.discrepancyBps).to.equal(2000);

    const invoiceTerms = (invoiceId: string) =>
      JSON.stringify({ invoiceId, campaignId, lineItemId, periodStart: '2026-03-01', periodEnd: '2026-03-31' });
    const notYet = await rejection(() => submit(publisher, 'billing:IssueInvoice', invoiceTerms(uniqueId('inv'))));
    expect(notYet, 'a disputed period blocks the invoice').to.match(/INVALID_STATE/);

    await submit(
      publisher,
      'reconciliation:ProposeResolution',
      campaignId,
      lineItemId,
      marchDay(2).periodStart,
      '90000',
    );
    const resolved = (await submit(
      agency,
      'reconciliation:AcceptResolution',
      campaignId,
      lineItemId,
      marchDay(2).periodStart,
      '90000',
      '1',
    )) as ReconciliationRow;
    expect(resolved.status).to.equal('RESOLVED');
    expect(resolved.billableImpressions).to.equal(90_000);

    const invoiceId = uniqueId('inv');
    const invoice = (await submit(publisher, 'billing:IssueInvoice', invoiceTerms(invoiceId))) as Invoice;
    expect(invoice.billableImpressions).to.equal(187_500);
    // 187,500 impressions at a CPM of 2.50 (2,500,000 micros) = 468.75 = 468,750,000 micros.
    expect(invoice.amountMicros).to.equal(468_750_000);
    expect(invoice.status).to.equal('ISSUED');

    const payment = (paymentId: string, amountMicros: number) =>
      JSON.stringify({ paymentId, invoiceId, amountMicros, reference: `wire ${paymentId}` });
    const partial = (await submit(advertiser, 'billing:RecordPayment', payment(uniqueId('pay'), 200_000_000))) as {
      invoice: Invoice;
    };
    expect(partial.invoice.status).to.equal('PARTIALLY_PAID');
    const over = await rejection(() => submit(agency, 'billing:RecordPayment', payment(uniqueId('pay'), 268_750_001)));
    expect(over).to.match(/OVERPAYMENT/);
    const full = (await submit(agency, 'billing:RecordPayment', payment(uniqueId('pay'), 268_750_000))) as {
      invoice: Invoice;
    };
    expect(full.invoice.status).to.equal('PAID');
    expect(full.invoice.paidMicros).to.equal(468_750_000);

    const stored = await evaluateJson<Invoice>(publisher, 'billing:GetInvoice', invoiceId);
    expect(stored.status).to.equal('PAID');
  });

  it('commits a campaign change endorsed without one of its parties as invalid (ENDORSEMENT_POLICY_FAILURE)', async () => {
    const terms = campaignTerms(profile);
    await submit(advertiser, 'campaigns:Propose', JSON.stringify(terms));
    const amended = {
      name: 'Renamed without the publisher',
      currency: terms.currency,
      lineItems: terms.lineItems,
    };
    const proposal = advertiser.contract.newProposal('campaigns:Amend', {
      arguments: [terms.campaignId, JSON.stringify(amended)],
      // A majority of the channel, but not every party of this campaign.
      endorsingOrganizations: [advertiserMsp, agencyMsp],
    });
    const transaction = await proposal.endorse();
    const status = await (await transaction.submit()).getStatus();
    expect(status.successful).to.equal(false);
    expect(status.code).to.equal(ENDORSEMENT_POLICY_FAILURE);
    await awaitCommitted(status.blockNumber, [agency]);

    const unchanged = await evaluateJson<Campaign & { name: string }>(agency, 'campaigns:Get', terms.campaignId);
    expect(unchanged.name).to.equal(terms.name);
    expect(unchanged.version).to.equal(1);
  });

  it('refuses at endorsement a write by an organization whose role does not allow it', async () => {
    const terms = campaignTerms(profile);
    let caught: unknown;
    try {
      await publisher.contract.submitTransaction('campaigns:Propose', JSON.stringify(terms));
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(EndorseError);
    expect(errorText(caught)).to.match(/FORBIDDEN/);
    const missing = await rejection(() => evaluateJson(agency, 'campaigns:Get', terms.campaignId));
    expect(missing).to.match(/CAMPAIGN_NOT_FOUND/);
  });
});
