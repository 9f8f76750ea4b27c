import { expect } from 'chai';
import http from 'node:http';
import { campaignTerms } from './support/campaign-fixtures';
import { loadProfile, mspOf } from './support/network-profile';
import { http as call, type RestGateway, startRestGateway } from './support/rest-gateway';

/** SSE clients held on one organization's gateway: its operations key at the per-key cap, the rest on finance. */
const CROWD = 1_000;
const PER_KEY = 600;
const OPENED: Readonly<Record<string, number>> = { 'agency-operations': PER_KEY, 'agency-finance': CROWD - PER_KEY };
/** Samples of GET /campaigns for the latency figures (printed, not asserted: timing is no test). */
const SAMPLES = 20;

/** One open SSE response, read into a text buffer until it is closed. */
interface Stream {
  text: string;
  status: number;
  close(): void;
}

function openStream(url: string, key: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${url}/events`,
      { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...headers }, agent: false },
      (res) => {
        const stream: Stream = {
          text: '',
          status: res.statusCode ?? 0,
          close: () => {
            req.destroy();
          },
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          stream.text += chunk;
          if (stream.text.length > 65_536) stream.text = stream.text.slice(-32_768);
        });
        res.on('error', () => undefined);
        resolve(stream);
      },
    );
    req.on('error', reject);
    req.setTimeout(120_000, () => req.destroy());
  });
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function percentile95(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
}

/**
 * A crowd of event-stream readers on one organization, on the real network: they share the organization's one
 * ledger subscription, so every organization keeps reading and writing, the stream caps answer 429, and a client
 * that resumes gets exactly what it missed.
 */
describe('a crowd of event-stream clients (fan-out, caps)', function () {
  this.timeout(300_000);
  const profile = loadProfile();
  const agencyMsp = mspOf(profile, 'AGENCY');
  let gateway: RestGateway;
  const crowd: Stream[] = [];

  before(async () => {
    gateway = await startRestGateway({
      ADRECON_SSE_MAX_STREAMS: String(CROWD),
      ADRECON_SSE_MAX_STREAMS_PER_KEY: String(PER_KEY),
      ADRECON_SSE_HEARTBEAT_MS: '60000',
    });
  });
  after(async () => {
    for (const stream of crowd) stream.close();
    await gateway.stop();
  });

  async function campaignsLatency(clientId: string): Promise<number[]> {
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = process.hrtime.bigint();
      const res = await call(gateway, 'GET', '/campaigns?pageSize=5', { clientId, consistent: false });
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      expect(res.status, res.text).to.equal(200);
    }
    return samples;
  }

  it(`holds ${String(CROWD)} streams on one organization, then every organization still reads and writes`, async () => {
    const idle = await campaignsLatency('agency-finance');
    const url = gateway.of(agencyMsp).url;
    for (const [clientId, count] of Object.entries(OPENED)) {
      const opened = await Promise.all(Array.from({ length: count }, () => openStream(url, gateway.key(clientId))));
      crowd.push(...opened);
    }
    expect(crowd.filter((s) => s.status !== 200)).to.have.length(0);
    await until('every stream connected', () => crowd.every((s) => s.text.includes(': connected')));

    // Every organization's readiness, reads and writes, with the crowd connected.
    for (const org of gateway.gateways) {
      const ready = await fetch(`${org.url}/readyz`);
      expect(ready.status, `${org.mspId} /readyz`).to.equal(200);
    }
    const terms = campaignTerms(profile);
    const proposed = await call(gateway, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms });
    expect(proposed.status, proposed.text).to.equal(201);
    for (const clientId of ['agency-operations', 'publisher-operations']) {
      const accepted = await call(gateway, 'POST', `/campaigns/${terms.campaignId}/acceptances`, {
        clientId,
        body: { version: 1 },
      });
      expect(accepted.status, accepted.text).to.equal(200);
    }
    for (const clientId of ['advertiser-finance', 'publisher-finance', 'agency-finance', 'publisher2-finance']) {
      const res = await call(gateway, 'GET', '/campaigns?pageSize=5', { clientId });
      expect(res.status, `${clientId}: ${res.text}`).to.equal(200);
    }
    // Every client of the crowd got the campaign's events through the one subscription.
    await until('the crowd has the activation', () => crowd.every((s) => s.text.includes('CampaignActivated')));

    const loaded = await campaignsLatency('agency-finance');
    const [idleP95, loadedP95] = [percentile95(idle), percentile95(loaded)];
    console.log(
      `      GET /campaigns p95: idle ${idleP95.toFixed(1)} ms, with ${String(crowd.length)} SSE clients ${loadedP95.toFixed(1)} ms (ratio ${(loadedP95 / idleP95).toFixed(2)})`,
    );
  });

  it('answers 429 with Retry-After above the per-key cap and above the total cap', async () => {
    const url = gateway.of(agencyMsp).url;
    const refusals: [string, string][] = [
      ['agency-operations', 'an API key may hold at most'],
      ['agency-finance', 'the gateway serves at most'],
    ];
    for (const [clientId, reason] of refusals) {
      const res = await fetch(`${url}/events`, { headers: { authorization: `Bearer ${gateway.key(clientId)}` } });
      expect(res.status, clientId).to.equal(429);
      expect(res.headers.get('retry-after')).to.match(/^\d+$/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).to.equal('TOO_MANY_STREAMS');
      expect(body.error.message).to.contain(reason);
    }
  });

  it('resumes one client with Last-Event-ID: exactly the events it missed', async () => {
    // One client of the crowd leaves after the activation; two campaigns are proposed while it is away.
    const leaving = crowd.pop();
    if (leaving === undefined) throw new Error('no crowd');
    const ids = [...leaving.text.matchAll(/^id: (\S+)$/gm)].map((m) => m[1] ?? '');
    const lastId = ids[ids.length - 1];
    expect(lastId, 'the client saw events').to.be.a('string');
    leaving.close();
    const missed = [campaignTerms(profile), campaignTerms(profile)];
    for (const terms of missed) {
      const res = await call(gateway, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms });
      expect(res.status, res.text).to.equal(201);
    }
    const url = gateway.of(agencyMsp).url;
    // The server frees the leaver's slot when it sees the disconnect; until then the cap answers 429.
    let resumed = await openStream(url, gateway.key('agency-finance'), { 'last-event-id': lastId ?? '' });
    for (let attempt = 0; resumed.status === 429 && attempt < 50; attempt++) {
      resumed.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      resumed = await openStream(url, gateway.key('agency-finance'), { 'last-event-id': lastId ?? '' });
    }
    expect(resumed.status).to.equal(200);
    crowd.push(resumed);
    await until('the missed events', () => missed.every((t) => resumed.text.includes(t.campaignId)));
    const events = [...resumed.text.matchAll(/^data: (.+)$/gm)].map(
      (m) => (JSON.parse(m[1] ?? '{}') as { payload: { campaignId: string } }).payload.campaignId,
    );
    expect(events).to.deep.equal(missed.map((t) => t.campaignId));
  });
});
