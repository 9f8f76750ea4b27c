import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runScript, runScriptResult } from './support/network-scripts';
import { http, type RestGateway, startRestGateway } from './support/rest-gateway';
import { isolatedBasePort, isolatedEnv } from './support/isolated-network';

interface ErrorBody {
  error: { code: string; message: string };
}

describe('a saturated peer answers 503 with Retry-After, never 500 (issue 14 item 3)', function () {
  this.timeout(300_000);
  let runDir = '';
  const basePort = isolatedBasePort('peerSaturation');
  // Each peer serves at most 2 Gateway calls at once (Fabric's default is 500), so a small crowd saturates it.
  const isolated = () => isolatedEnv(runDir, basePort, { extra: { ADRECON_PEER_GATEWAY_CONCURRENCY: '2' } });
  let gateway: RestGateway | undefined;

  before(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-saturation-'));
    await runScript('network-up.sh', [], isolated());
    await runScript('deploy-chaincode.sh', [], isolated());
    gateway = await startRestGateway(isolated());
  });
  after(async () => {
    await gateway?.stop().catch(() => undefined);
    await runScriptResult('network-down.sh', [], isolated());
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('answers a crowd of reads 200 or 503 LEDGER_UNAVAILABLE with Retry-After, and serves again after it', async () => {
    if (gateway === undefined) throw new Error('the gateways did not start');
    const started = gateway;
    const crowd = await Promise.all(
      Array.from({ length: 60 }, () =>
        http<ErrorBody>(started, 'GET', '/campaigns', { clientId: 'advertiser-finance', consistent: false }),
      ),
    );
    const statuses = crowd.map((r) => r.status);
    const counts = statuses.reduce<Record<string, number>>(
      (c, s) => ({ ...c, [String(s)]: (c[String(s)] ?? 0) + 1 }),
      {},
    );
    console.log(`      60 concurrent reads on a peer limited to 2 Gateway calls: ${JSON.stringify(counts)}`);
    expect(
      statuses.filter((s) => s !== 200 && s !== 503),
      'answers other than 200 or 503',
    ).to.deep.equal([]);
    const refused = crowd.filter((r) => r.status === 503);
    expect(refused.length, 'the peer refused some of the crowd').to.be.greaterThan(0);
    for (const r of refused) {
      expect(r.body.error.code).to.equal('LEDGER_UNAVAILABLE');
      expect(r.headers.get('retry-after')).to.match(/^\d+$/);
    }
    // Once the crowd is gone, the organization is served as usual.
    const after = await http(started, 'GET', '/campaigns', { clientId: 'advertiser-finance', consistent: false });
    expect(after.status, after.text).to.equal(200);
  });
});
