import { expect } from 'chai';
import { campaignTerms } from './support/campaign-fixtures';
import { loadProfile } from './support/network-profile';
import { http, type RestGateway, startRestGateway } from './support/rest-gateway';

interface Envelope {
  data: unknown;
  transactionId?: string;
}

describe('one Idempotency-Key across two gateway processes of each organization (issue 14 item 5)', function () {
  this.timeout(180_000);
  const profile = loadProfile();
  let first: RestGateway;
  let second: RestGateway;

  before(async () => {
    first = await startRestGateway();
    // Other processes of the same organizations, with the same state folder (keys, users, idempotency store).
    second = await startRestGateway({}, { sharedStateOf: first });
  });
  after(async () => {
    await second.stop();
    await first.stop();
  });

  it('runs a request once when its key reaches both processes at the same moment; the rest replay or wait', async () => {
    const terms = campaignTerms(profile);
    const send = (gateway: RestGateway) =>
      http<Envelope>(gateway, 'POST', '/campaigns', {
        clientId: 'advertiser-operations',
        body: terms,
        headers: { 'idempotency-key': `shared-${terms.campaignId}` },
        consistent: false,
      });
    const answers = await Promise.all([first, second, first, second, first, second].map(send));
    const statuses = answers.map((a) => a.status);
    console.log(`      6 concurrent requests with one key through 2 processes: ${JSON.stringify(statuses)}`);
    expect(
      statuses.filter((s) => s !== 201 && s !== 409),
      'answers other than 201 or 409 (in progress)',
    ).to.deep.equal([]);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length, 'at least the one that ran').to.be.greaterThan(0);
    expect(new Set(created.map((a) => a.body.transactionId)).size, 'every 201 names the one transaction').to.equal(1);
    // A retry after the fact, through the other process than the one that ran it, is a replay of the same answer.
    const retry = await send(second);
    expect(retry.status).to.equal(201);
    expect(retry.body.transactionId).to.equal(created[0]?.body.transactionId);
    const history = await http<{ data: unknown[] }>(first, 'GET', `/campaigns/${terms.campaignId}/history`, {
      clientId: 'advertiser-operations',
    });
    expect(history.body.data, 'one write of the campaign').to.have.length(1);
  });
});
