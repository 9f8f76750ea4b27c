import { partyCollectionName } from '@adrecon/contract';
import { expect } from 'chai';
import { campaignTerms, marchDay, uniqueId } from './support/campaign-fixtures';
import { awaitCommitted, submitCommitted } from './support/commits';
import { startForgers, stopForgers } from './support/colluding-servers';
import { connectAs, evaluateJson, eventually, type OrgConnection } from './support/fabric-connection';
import { loadProfile, mspOf, secondPublisherOf } from './support/network-profile';
import { runScript } from './support/network-scripts';
import { rejection } from './support/rejections';

const VALID = 0;
const ENDORSEMENT_POLICY_FAILURE = 10;
const MVCC_READ_CONFLICT = 11;
const utf8 = new TextDecoder();

/** Submits forged writes through `conn`'s gateway, endorsed by exactly `endorsers` (who run the forger). */
async function forgeAs(
  conn: OrgConnection,
  endorsers: string[],
  writes: ForgedWrite[],
): Promise<{ successful: boolean; code: number }> {
  const proposal = conn.contract.newProposal('forge:Write', {
    arguments: [JSON.stringify(writes)],
    endorsingOrganizations: endorsers,
  });
  const transaction = await eventually(() => proposal.endorse(), 30_000);
  expect(utf8.decode(transaction.getResult())).to.equal(JSON.stringify({ written: writes.length }));
  const status = await (await transaction.submit()).getStatus();
  return { successful: status.successful, code: status.code };
}

/**
 * One forged write of the attacker chaincode: a composite key and its new JSON value (null deletes it); with a
 * collection and its members, written as the real chaincode writes a private record (value in the collection,
 * marker on the channel).
 */
interface ForgedWrite {
  type: string;
  attributes: string[];
  value: unknown;
  collection?: string;
  members?: string[];
}

describe('trust rules on the real network: no party can cheat another', function () {
  this.timeout(300_000);
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

  it('refuses a publisher relabelling the advertiser through roles:SetRoles (FORBIDDEN)', async () => {
    const text = await rejection(() =>
      publisher.contract.submitTransaction(
        'roles:SetRoles',
        JSON.stringify([{ mspId: advertiserMsp, role: 'PUBLISHER' }]),
      ),
    );
    expect(text).to.match(/FORBIDDEN: organization \S+ is registered as ADVERTISER/);
    const role = await evaluateJson<{ role: string }>(agency, 'roles:GetRole', advertiserMsp);
    expect(role.role).to.equal('ADVERTISER');
  });

  it('two parties accepting a campaign at once: one commits, the other gets MVCC_READ_CONFLICT, never code 10', async () => {
    const terms = campaignTerms(profile);
    const proposed = await submitCommitted(advertiser, 'campaigns:Propose', JSON.stringify(terms));
    await awaitCommitted(proposed.blockNumber, [advertiser, agency, publisher]);
    // Both acceptances are endorsed against the same state, then submitted together so that they share a block.
    const endorsed = await Promise.all(
      [agency, publisher].map((conn) =>
        conn.contract.newProposal('campaigns:Accept', { arguments: [terms.campaignId, '1'] }).endorse(),
      ),
    );
    const commits = await Promise.all(endorsed.map((t) => t.submit()));
    const statuses = await Promise.all(commits.map((c) => c.getStatus()));
    const codes = statuses.map((st) => st.code).sort();
    await awaitCommitted(
      statuses.map((st) => st.blockNumber).reduce((a, b) => (a > b ? a : b)),
      [advertiser],
    );
    expect(codes).to.not.include(ENDORSEMENT_POLICY_FAILURE);
    expect(codes.filter((c) => c === VALID)).to.have.length.at.least(1);
    expect(
      codes.every((c) => c === VALID || c === MVCC_READ_CONFLICT),
      `codes ${codes.join(',')}`,
    ).to.equal(true);
    const stored = await evaluateJson<{ acceptances: unknown[] }>(advertiser, 'campaigns:Get', terms.campaignId);
    expect(stored.acceptances).to.have.length(1 + codes.filter((c) => c === VALID).length);
  });

  describe('colluding organizations running a chaincode server that skips every check', () => {
    const colluders = ['publisher', 'agency', 'publisher2'];

    /** Submits forged writes endorsed by exactly every organization but the advertiser (3 of 4, a MAJORITY). */
    async function forge(writes: ForgedWrite[]): Promise<{ successful: boolean; code: number }> {
      return forgeAs(publisher, [publisherMsp, agencyMsp, secondPublisherOf(profile)], writes);
    }

    before(async () => {
      await startForgers(colluders);
    });
    after(async () => {
      await stopForgers(colluders);
      // Restores the organizations' real chaincode servers (deploy keeps one per organization running).
      await runScript('deploy-chaincode.sh');
    });

    it('commits a forged relabelling of the advertiser as ENDORSEMENT_POLICY_FAILURE: the role key needs the advertiser', async () => {
      const status = await forge([
        { type: 'adrecon.role', attributes: [advertiserMsp], value: { mspId: advertiserMsp, role: 'PUBLISHER' } },
      ]);
      expect(status).to.deep.equal({ successful: false, code: ENDORSEMENT_POLICY_FAILURE });
      const role = await evaluateJson<{ role: string }>(advertiser, 'roles:GetRole', advertiserMsp);
      expect(role.role).to.equal('ADVERTISER');
    });
  });

  // Every organization but the victim: the buyer side and the publisher that is not a party (3 of 4, a majority).
  describe('the buyer side and the other publisher colluding, with a chaincode server that skips every check', () => {
    const colluders = ['advertiser', 'agency', 'publisher2'];
    const publisher2Msp = secondPublisherOf(profile);
    let campaignId = '';
    const day = marchDay(4);
    const forgedInvoiceId = uniqueId('forged-inv');

    before(async () => {
      // A real ACTIVE campaign, accepted by all its parties through the real chaincode.
      const terms = campaignTerms(profile);
      campaignId = terms.campaignId;
      const all = [advertiser, agency, publisher];
      await awaitCommitted(
        (await submitCommitted(advertiser, 'campaigns:Propose', JSON.stringify(terms))).blockNumber,
        all,
      );
      await awaitCommitted((await submitCommitted(agency, 'campaigns:Accept', campaignId, '1')).blockNumber, all);
      await awaitCommitted((await submitCommitted(publisher, 'campaigns:Accept', campaignId, '1')).blockNumber, all);
      await startForgers(colluders);
    });
    after(async () => {
      await stopForgers(colluders);
      await runScript('deploy-chaincode.sh');
    });

    // Since issue 8 a line item's records live in the collection of its advertiser, agency and publisher, whose
    // endorsement policy needs each of them: the colluders write there as the real chaincode would.
    const lineItemParties = () => [advertiserMsp, agencyMsp, publisherMsp].sort();
    const forgeBuyers = (writes: ForgedWrite[]) =>
      forgeAs(
        advertiser,
        [advertiserMsp, agencyMsp, publisher2Msp],
        writes.map((w) => ({ ...w, collection: partyCollectionName(lineItemParties()), members: lineItemParties() })),
      );

    it("a first-party report in the publisher's name commits as ENDORSEMENT_POLICY_FAILURE", async () => {
      const report = {
        reportId: 'forged-fp',
        campaignId,
        lineItemId: 'li-1',
        ...day,
        impressions: 1,
        invalidImpressions: 0,
        source: 'FIRST_PARTY',
        reporter: publisherMsp,
        reportedAt: day.periodEnd,
        txId: 'forged',
      };
      const status = await forgeBuyers([
        {
          type: 'adrecon.report',
          attributes: [
            campaignId,
            'li-1',
            day.periodStart,
            'DAY',
            day.periodStart,
            'FIRST_PARTY',
            publisherMsp,
            'forged-fp',
          ],
          value: report,
        },
        {
          type: 'adrecon.reportById',
          attributes: [publisherMsp, 'forged-fp'],
          value: { campaignId, lineItemId: 'li-1', ...day, source: 'FIRST_PARTY' },
        },
      ]);
      expect(status).to.deep.equal({ successful: false, code: ENDORSEMENT_POLICY_FAILURE });
    });

    it('an already-accepted resolution at 0 impressions commits as ENDORSEMENT_POLICY_FAILURE', async () => {
      const status = await forgeBuyers([
        {
          type: 'adrecon.resolution',
          attributes: [campaignId, 'li-1', day.periodStart],
          value: {
            campaignId,
            lineItemId: 'li-1',
            periodStart: day.periodStart,
            agreedImpressions: 0,
            version: 1,
            status: 'ACCEPTED',
            proposedBy: publisherMsp,
            proposerSide: 'PUBLISHER',
            proposedAt: day.periodEnd,
            proposalTxId: 'forged',
            acceptedBy: advertiserMsp,
            acceptedAt: day.periodEnd,
            acceptanceTxId: 'forged',
          },
        },
      ]);
      expect(status).to.deep.equal({ successful: false, code: ENDORSEMENT_POLICY_FAILURE });
    });

    it('a zero-amount invoice over the whole flight commits as ENDORSEMENT_POLICY_FAILURE', async () => {
      const status = await forgeBuyers([
        {
          type: 'adrecon.invoice',
          attributes: [forgedInvoiceId],
          value: { invoiceId: forgedInvoiceId, campaignId, lineItemId: 'li-1', amountMicros: 0, status: 'ISSUED' },
        },
        {
          type: 'adrecon.invoiceByLineItem',
          attributes: [campaignId, 'li-1', forgedInvoiceId],
          value: { invoiceId: forgedInvoiceId },
        },
      ]);
      expect(status).to.deep.equal({ successful: false, code: ENDORSEMENT_POLICY_FAILURE });
    });

    it('a report written only as a public marker (no private value) commits, and the publisher reads nothing', async () => {
      // Any 3 organizations may create a public key; without the victim they cannot write the collection.
      const status = await forgeAs(
        advertiser,
        [advertiserMsp, agencyMsp, publisher2Msp],
        [
          {
            type: 'adrecon.report',
            attributes: [campaignId, 'li-1', day.periodStart, 'DAY', day.periodStart, 'FIRST_PARTY', publisherMsp, 'm'],
            value: { c: partyCollectionName(lineItemParties()), m: lineItemParties(), h: '00' },
          },
          {
            type: 'adrecon.reportById',
            attributes: [publisherMsp, 'plain'],
            value: { campaignId, lineItemId: 'li-1', ...day, source: 'FIRST_PARTY' },
          },
        ],
      );
      expect(status).to.deep.equal({ successful: true, code: 0 });
    });

    it('leaves the world state unchanged', async () => {
      await stopForgers(colluders);
      await runScript('deploy-chaincode.sh');
      const reports = await eventually(() =>
        evaluateJson<{ records: unknown[] }>(publisher, 'delivery:List', JSON.stringify({ campaignId })),
      );
      expect(reports.records).to.deep.equal([]);
      expect(await rejection(() => evaluateJson(publisher, 'delivery:Get', publisherMsp, 'plain'))).to.match(
        /REPORT_NOT_FOUND/,
      );
      expect(
        await rejection(() => evaluateJson(publisher, 'reconciliation:Get', campaignId, 'li-1', day.periodStart)),
      ).to.match(/RECONCILIATION_NOT_FOUND/);
      expect(await rejection(() => evaluateJson(publisher, 'billing:GetInvoice', forgedInvoiceId))).to.match(
        /INVOICE_NOT_FOUND/,
      );
      const invoices = await evaluateJson<{ records: unknown[] }>(
        publisher,
        'billing:ListInvoices',
        JSON.stringify({ campaignId }),
      );
      expect(invoices.records).to.deep.equal([]);
    });
  });
});
