import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { marchDay, twoPublisherTerms, uniqueId } from './support/campaign-fixtures';
import { loadProfile, runDir } from './support/network-profile';
import { http, startRestGateway, type RestGateway } from './support/rest-gateway';

function filesBelow(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesBelow(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function peerFolderHolds(folder: string, text: string): boolean {
  const needle = Buffer.from(text);
  return filesBelow(path.join(runDir, 'data', folder)).some((f) => fs.readFileSync(f).includes(needle));
}

/**
 * Issue 8 item 2 within one campaign: two publishers, each line item's records in the collection of the
 * advertiser, the agency and its own publisher. Each publisher's REST view and its peer's private data lack the
 * other's counts; the REST view also lacks the other's line item terms.
 */
describe('need to know within a two-publisher campaign', function () {
  this.timeout(300_000);
  const profile = loadProfile();
  let gateway: RestGateway;
  const terms = twoPublisherTerms(profile);
  const { campaignId } = terms;
  // Distinctive counts, one per publisher.
  const COUNT_1 = 1_357_913;
  const COUNT_2 = 1_246_802;
  const CPM_2 = terms.lineItems[1]!.cpmMicros;
  terms.lineItems[0]!.bookedImpressions = 9_000_000;
  terms.lineItems[1]!.bookedImpressions = 9_000_000;

  before(async () => {
    gateway = await startRestGateway();
  });
  after(async () => {
    await gateway.stop();
  });

  it('keeps each publisher’s counts off the other publisher’s peer and out of its REST answers', async () => {
    const post = async (clientId: string, url: string, body: unknown) => {
      const res = await http(gateway, 'POST', url, { clientId, body });
      expect(res.status, `${clientId} ${url}: ${res.text}`).to.be.oneOf([200, 201]);
    };
    await post('advertiser-operations', '/campaigns', terms);
    for (const clientId of ['agency-operations', 'publisher-operations', 'publisher2-operations']) {
      await post(clientId, `/campaigns/${campaignId}/acceptances`, { version: 1 });
    }
    const report = (lineItemId: string, impressions: number) => ({
      reportId: uniqueId('r'),
      campaignId,
      lineItemId,
      ...marchDay(1),
      impressions,
      invalidImpressions: 0,
    });
    await post('publisher-operations', '/delivery-reports', report('li-1', COUNT_1));
    await post('publisher2-operations', '/delivery-reports', report('li-2', COUNT_2));

    // REST: each publisher sees its own line item and count, never the other's.
    for (const [clientId, own, other, otherCpm] of [
      ['publisher-operations', COUNT_1, COUNT_2, CPM_2],
      ['publisher2-operations', COUNT_2, COUNT_1, terms.lineItems[0]!.cpmMicros],
    ] as const) {
      const texts: string[] = [];
      for (const url of [
        `/campaigns/${campaignId}`,
        `/campaigns/${campaignId}/history`,
        `/delivery-reports?campaignId=${campaignId}`,
        `/reconciliations?campaignId=${campaignId}`,
        `/reports/reconciliation?campaignId=${campaignId}`,
      ]) {
        const res = await http(gateway, 'GET', url, { clientId });
        expect(res.status, `${clientId} ${url}: ${res.text}`).to.be.oneOf([200, 404]);
        texts.push(res.text);
      }
      const all = texts.join('\n');
      expect(all, clientId).to.include(String(own));
      expect(all, clientId).to.not.include(String(other));
      expect(all, clientId).to.not.include(String(otherCpm));
    }

    // Peers: the agency's peer holds both counts; each publisher's peer only its own.
    expect(peerFolderHolds('peer0.agency', String(COUNT_1))).to.equal(true);
    expect(peerFolderHolds('peer0.agency', String(COUNT_2))).to.equal(true);
    expect(peerFolderHolds('peer0.publisher', String(COUNT_1))).to.equal(true);
    expect(peerFolderHolds('peer0.publisher', String(COUNT_2))).to.equal(false);
    expect(peerFolderHolds('peer0.publisher2', String(COUNT_2))).to.equal(true);
    expect(peerFolderHolds('peer0.publisher2', String(COUNT_1))).to.equal(false);
  });
});
