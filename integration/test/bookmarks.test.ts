import { expect } from 'chai';
import { campaignTerms, marchDay, twoPublisherTerms, uniqueId } from './support/campaign-fixtures';
import { loadProfile } from './support/network-profile';
import { http, startRestGateway, type RestGateway } from './support/rest-gateway';

interface ListPage {
  data: { records: Record<string, unknown>[]; bookmark: string; fetchedCount: number };
}

interface ErrorBody {
  error: { code: string; message: string };
}

/** The ledger key a bookmark names: it must be base64url text, and its bytes must decode to a key. */
function bookmarkKey(bookmark: string): string {
  expect(bookmark, 'a bookmark is base64url text').to.match(/^[A-Za-z0-9_-]*$/);
  return Buffer.from(bookmark, 'base64url').toString('utf8');
}

/** A composite key as Fabric writes it: U+0000, the type, then each attribute followed by U+0000. */
function compositeKey(type: string, attributes: readonly string[]): string {
  return `\u0000${type}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;
}

/**
 * Issue 8 item 6 on the real network, over REST: a publisher paging (pageSize 1) through the lists of a
 * two-publisher campaign and of a mix of campaigns receives bookmarks that name only its own records, counts
 * (`fetchedCount`) only what it may see, cannot use a forged bookmark to reach into the other publisher's range, and
 * gets the same error for another publisher's line item as for one that does not exist.
 */
describe('bookmarks, counts and errors leak nothing (issue 8 item 6)', function () {
  this.timeout(600_000);
  const profile = loadProfile();
  let gateway: RestGateway;
  const shared = twoPublisherTerms(profile);
  const lineItem1 = uniqueId('lia');
  const lineItem2 = uniqueId('lib');
  shared.lineItems[0]!.lineItemId = lineItem1;
  shared.lineItems[1]!.lineItemId = lineItem2;
  const firstOnly = campaignTerms(profile);
  const reportsOf: Record<string, string[]> = { [lineItem1]: [], [lineItem2]: [] };

  const post = async (clientId: string, url: string, body: unknown) => {
    const res = await http(gateway, 'POST', url, { clientId, body });
    expect(res.status, `${clientId} ${url}: ${res.text}`).to.be.oneOf([200, 201]);
  };

  /** Every page of a list at pageSize 1, with the key each bookmark names. */
  const pageThrough = async (clientId: string, url: string) => {
    const records: Record<string, unknown>[] = [];
    const keys: string[] = [];
    let bookmark = '';
    for (let pages = 0; pages < 50; pages++) {
      const sep = url.includes('?') ? '&' : '?';
      const res = await http<ListPage>(
        gateway,
        'GET',
        `${url}${sep}pageSize=1${bookmark === '' ? '' : `&bookmark=${bookmark}`}`,
        { clientId },
      );
      expect(res.status, `${clientId} ${url}: ${res.text}`).to.equal(200);
      const page = res.body.data;
      expect(page.fetchedCount, `${clientId} ${url}: fetchedCount counts the records returned`).to.equal(
        page.records.length,
      );
      records.push(...page.records);
      if (page.bookmark === '') return { records, keys };
      keys.push(bookmarkKey(page.bookmark));
      bookmark = page.bookmark;
    }
    throw new Error(`${url}: more than 50 pages`);
  };

  before(async () => {
    gateway = await startRestGateway();
    await post('advertiser-operations', '/campaigns', shared);
    await post('advertiser-operations', '/campaigns', firstOnly);
    for (const clientId of ['agency-operations', 'publisher-operations', 'publisher2-operations']) {
      await post(clientId, `/campaigns/${shared.campaignId}/acceptances`, { version: 1 });
    }
    // Reports interleaved by day on both line items, both sides: keys of each publisher sort on both sides of
    // the other's within the campaign's range.
    for (const day of [1, 2, 3]) {
      for (const [clientId, lineItemId] of [
        ['publisher-operations', lineItem1],
        ['publisher2-operations', lineItem2],
        ['agency-operations', lineItem1],
        ['agency-operations', lineItem2],
      ] as const) {
        const reportId = uniqueId('r');
        reportsOf[lineItemId]!.push(reportId);
        await post(clientId, '/delivery-reports', {
          reportId,
          campaignId: shared.campaignId,
          lineItemId,
          ...marchDay(day),
          impressions: 1000 + day,
          invalidImpressions: 0,
        });
      }
    }
  });
  after(async () => {
    await gateway.stop();
  });

  for (const [clientId, own, other] of [
    ['publisher-operations', () => lineItem1, () => lineItem2],
    ['publisher2-operations', () => lineItem2, () => lineItem1],
  ] as const) {
    it(`${clientId}: a campaign's reports page by page name only its own line item's keys`, async () => {
      const { records, keys } = await pageThrough(clientId, `/delivery-reports?campaignId=${shared.campaignId}`);
      expect(records.map((r) => r.reportId).sort()).to.deep.equal([...reportsOf[own()]!].sort());
      expect(keys).to.have.length(records.length - 1);
      for (const key of keys) {
        expect(key, 'a bookmark names a report of the caller’s own line item').to.include(own());
        expect(key).to.not.include(other());
        for (const reportId of reportsOf[other()]!) expect(key).to.not.include(reportId);
      }
    });

    it(`${clientId}: a forged bookmark into the other publisher's range is refused, one into its own returns only its own`, async () => {
      const forged = Buffer.from(compositeKey('adrecon.report', [shared.campaignId, other()]), 'utf8').toString(
        'base64url',
      );
      const res = await http<ErrorBody>(
        gateway,
        'GET',
        `/delivery-reports?campaignId=${shared.campaignId}&pageSize=50&bookmark=${forged}`,
        { clientId },
      );
      expect(res.status, res.text).to.equal(400);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      // A bookmark before the first key of its own range: still only its own records.
      const start = Buffer.from(compositeKey('adrecon.report', [shared.campaignId, own()]), 'utf8').toString(
        'base64url',
      );
      const inside = await http<ListPage>(
        gateway,
        'GET',
        `/delivery-reports?campaignId=${shared.campaignId}&pageSize=50&bookmark=${start}`,
        { clientId },
      );
      expect(inside.status, inside.text).to.equal(200);
      expect(inside.body.data.records.map((r) => r.lineItemId)).to.satisfy((ids: unknown[]) =>
        ids.every((id) => id === own()),
      );
      expect(inside.text).to.not.include(other());
    });

    it(`${clientId}: another publisher's line item answers exactly as a line item that does not exist`, async () => {
      const ask = (lineItemId: string) =>
        http<ErrorBody>(gateway, 'GET', `/delivery-reports?campaignId=${shared.campaignId}&lineItemId=${lineItemId}`, {
          clientId,
        });
      const missing = uniqueId('lix');
      const [foreign, absent] = [await ask(other()), await ask(missing)];
      expect(foreign.status, foreign.text).to.equal(absent.status);
      expect(foreign.status).to.equal(404);
      expect(foreign.body.error.code).to.equal(absent.body.error.code);
      expect(foreign.body.error.message.replace(other(), 'X')).to.equal(
        absent.body.error.message.replace(missing, 'X'),
      );
    });
  }

  it('the campaign list pages name only the caller’s own campaigns, and count only them', async () => {
    const { records, keys } = await pageThrough('publisher2-operations', '/campaigns');
    const ids = records.map((r) => r.campaignId);
    expect(ids).to.include(shared.campaignId);
    expect(ids).to.not.include(firstOnly.campaignId);
    for (const key of keys) expect(key).to.not.include(firstOnly.campaignId);
    const advertiser = await pageThrough('advertiser-operations', '/campaigns');
    expect(advertiser.records.map((r) => r.campaignId)).to.include.members([shared.campaignId, firstOnly.campaignId]);
  });

  it('a buyer still pages through both line items of the campaign', async () => {
    const { records } = await pageThrough('agency-operations', `/delivery-reports?campaignId=${shared.campaignId}`);
    expect(records.map((r) => r.reportId).sort()).to.deep.equal(
      [...reportsOf[lineItem1]!, ...reportsOf[lineItem2]!].sort(),
    );
  });
});
