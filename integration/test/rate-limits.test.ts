import { expect } from 'chai';
import { http, type RestGateway, startRestGateway } from './support/rest-gateway';

interface ErrorBody {
  error: { code: string; message: string };
}

describe('rate limits on the REST gateways (issue 14 item 4)', function () {
  this.timeout(120_000);
  let gateway: RestGateway;

  before(async () => {
    // Small limits so that the test reaches them quickly; the defaults are 6,000 per key and 600 per address a minute.
    gateway = await startRestGateway({ ADRECON_RATE_LIMIT_PER_KEY: '5', ADRECON_RATE_LIMIT_PER_ADDRESS: '40' });
  });
  after(async () => {
    await gateway.stop();
  });

  it('answers 429 RATE_LIMITED with Retry-After past a key’s limit, while the organization’s other key still works', async () => {
    for (let i = 0; i < 5; i++) {
      const ok = await http(gateway, 'GET', '/campaigns', { clientId: 'publisher-finance', consistent: false });
      expect(ok.status, ok.text).to.equal(200);
    }
    const refused = await http<ErrorBody>(gateway, 'GET', '/campaigns', {
      clientId: 'publisher-finance',
      consistent: false,
    });
    expect(refused.status).to.equal(429);
    expect(refused.body.error.code).to.equal('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
    const other = await http(gateway, 'GET', '/campaigns', { clientId: 'publisher-operations', consistent: false });
    expect(other.status, 'each key has its own budget').to.equal(200);
  });

  it('limits the unauthenticated paths per source address', async () => {
    const via = gateway.gateways[2]?.mspId ?? '';
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) {
      statuses.push((await http(gateway, 'GET', '/healthz', { via, consistent: false })).status);
    }
    expect(statuses.filter((s) => s === 200).length).to.be.at.most(40);
    const last = await http<ErrorBody>(gateway, 'GET', '/healthz', { via, consistent: false });
    expect(last.status).to.equal(429);
    expect(last.body.error.code).to.equal('RATE_LIMITED');
    expect(last.headers.get('retry-after')).to.match(/^\d+$/);
  });
});
