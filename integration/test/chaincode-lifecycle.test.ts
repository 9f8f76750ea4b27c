import { randomBytes } from 'node:crypto';
import { TRANSIENT_KEYS } from '@adrecon/contract';
import { EndorseError } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import { campaignTerms, marchDay, twoPublisherTerms, uniqueId } from './support/campaign-fixtures';
import { awaitCommitted, submitCommitted } from './support/commits';
import { connectAs, evaluateJson, type OrgConnection } from './support/fabric-connection';
import { loadProfile, mspOf, secondPublisherOf } from './support/network-profile';
import { errorText, rejection } from './support/rejections';

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

describe('the reconciliation chaincode on the real network', function () {
  this.timeout(120_000);
  const profile = loadProfile();
  const advertiserMsp = mspOf(profile, 'ADVERTISER');
  const agencyMsp = mspOf(profile, 'AGENCY');
  const publisherMsp = mspOf(profile, 'PUBLISHER');
  const publisher2Msp = secondPublisherOf(profile);
  let advertiser: OrgConnection;
  let agency: OrgConnection;
  let publisher: OrgConnection;
  let publisher2: OrgConnection;

  before(() => {
    advertiser = connectAs(profile, advertiserMsp);
    agency = connectAs(profile, agencyMsp);
    publisher = connectAs(profile, publisherMsp);
    publisher2 = connectAs(profile, publisher2Msp);
  });
  after(() => {
    [advertiser, agency, publisher, publisher2].forEach((c) => {
      c.close();
    });
  });

  /** Submits, then waits until every organization's peer has committed it: the next step may go through any. */
  async function submit(conn: OrgConnection, name: string, ...args: string[]): Promise<unknown> {
    const committed = await submitCommitted(conn, name, ...args);
    await awaitCommitted(committed.blockNumber, [advertiser, agency, publisher, publisher2]);
    return JSON.parse(utf8.decode(committed.result)) as unknown;
  }

  it('runs a campaign from proposal to full payment between an advertiser, an agency and one publisher', async () => {
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

  it('refuses at endorsement a write by an organization that is not a party of the campaign', async () => {
    // Publisher2MSP, a publisher of the consortium with its own peer, books this campaign; PublisherMSP is not a party.
    const base = campaignTerms(profile);
    const terms = { ...base, lineItems: base.lineItems.map((li) => ({ ...li, publisher: publisher2Msp })) };
    await submit(advertiser, 'campaigns:Propose', JSON.stringify(terms));

    let caught: unknown;
    try {
      await publisher.contract.submitTransaction('campaigns:Accept', terms.campaignId, '1');
    } catch (err) {
      caught = err;
    }
    expect(caught, 'refused before ordering').to.be.instanceOf(EndorseError);
    // The campaign is private to its parties (issue 8): to a non-party it does not exist.
    expect(errorText(caught)).to.match(/CAMPAIGN_NOT_FOUND/);
    const unseen = await rejection(() => evaluateJson(publisher, 'campaigns:Get', terms.campaignId));
    expect(unseen, 'a non-party cannot read it either').to.match(/FORBIDDEN|CAMPAIGN_NOT_FOUND/);

    // The party it names accepts, with the agency: the campaign is active without the non-party.
    await submit(agency, 'campaigns:Accept', terms.campaignId, '1');
    const active = (await submit(publisher2, 'campaigns:Accept', terms.campaignId, '1')) as Campaign;
    expect(active.status).to.equal('ACTIVE');
    expect(active.acceptances.map((a) => a.mspId)).to.not.include(publisherMsp);
  });

  it('runs a campaign with both publishers, each accepting and reporting only its own line item', async () => {
    const terms = twoPublisherTerms(profile);
    const { campaignId } = terms;
    // Each line item's terms first, endorsed by its own parties (issue 8), then the proposal by reference.
    const refs = [];
    for (const lineItem of terms.lineItems) {
      const termsId = uniqueId('terms');
      const written = await advertiser.contract.submitAsync('campaigns:SetLineItemTerms', {
        arguments: [
          JSON.stringify({ campaignId, advertiser: terms.advertiser, agency: terms.agency, termsId, lineItem }),
        ],
        transientData: { [TRANSIENT_KEYS.salt]: randomBytes(32) },
      });
      expect((await written.getStatus()).successful, lineItem.lineItemId).to.equal(true);
      refs.push({ lineItemId: lineItem.lineItemId, publisher: lineItem.publisher, termsId });
    }
    await submit(advertiser, 'campaigns:Propose', JSON.stringify({ ...terms, lineItems: refs }));
    await submit(agency, 'campaigns:Accept', campaignId, '1');
    const stillProposed = (await submit(publisher, 'campaigns:Accept', campaignId, '1')) as Campaign;
    expect(stillProposed.status, 'the second publisher has not accepted yet').to.equal('PROPOSED');
    const active = (await submit(publisher2, 'campaigns:Accept', campaignId, '1')) as Campaign;
    expect(active.status).to.equal('ACTIVE');

    const report = (lineItemId: string, impressions: number) =>
      JSON.stringify({
        reportId: uniqueId('fp'),
        campaignId,
        lineItemId,
        ...marchDay(1),
        impressions,
        invalidImpressions: 0,
      });
    // A line item's transaction reads the campaign (all parties' collection) and the line item's terms (its own
    // parties' collection): the Fabric Gateway cannot plan over two memberships, so the client names the line
    // item's parties, as the REST gateway does.
    const reportAs = async (conn: OrgConnection, seller: string, lineItemId: string, impressions: number) => {
      const submitted = await conn.contract.submitAsync('delivery:Submit', {
        arguments: [report(lineItemId, impressions)],
        endorsingOrganizations: [advertiserMsp, agencyMsp, seller],
      });
      const status = await submitted.getStatus();
      expect(status.successful, lineItemId).to.equal(true);
      await awaitCommitted(status.blockNumber, [advertiser, agency, publisher, publisher2]);
    };
    await reportAs(publisher, publisherMsp, 'li-1', 50_000);
    await reportAs(publisher2, publisher2Msp, 'li-2', 20_000);
    const crossed = await rejection(() => publisher2.contract.submitTransaction('delivery:Submit', report('li-1', 1)));
    expect(crossed, 'another publisher’s line item reads as absent').to.match(/CAMPAIGN_NOT_FOUND/);

    const seenBy = async (conn: OrgConnection) =>
      (await evaluateJson<{ lineItems: { lineItemId: string }[] }>(conn, 'campaigns:Get', campaignId)).lineItems.map(
        (li) => li.lineItemId,
      );
    expect(await seenBy(agency)).to.deep.equal(['li-1', 'li-2']);
    expect(await seenBy(publisher)).to.deep.equal(['li-1']);
    expect(await seenBy(publisher2)).to.deep.equal(['li-2']);
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
