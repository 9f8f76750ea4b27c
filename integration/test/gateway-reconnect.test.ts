import { loadConfig, newFabricLedgerClient, type LedgerClient } from '@adrecon/gateway';
import { expect } from 'chai';
import net from 'node:net';
import { loadProfile, mspOf } from './support/network-profile';
import { runScript, stopRecorded } from './support/network-scripts';

const sleep = (ms: number) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** True when something accepts TCP connections at `endpoint` (host:port). */
function accepts(endpoint: string): Promise<boolean> {
  const [host = '127.0.0.1', port = '0'] = endpoint.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/**
 * grpc-js backs off up to 120 s by default between dials of a peer that is down: after an outage of 48 s its next
 * dial comes 62–78 s after the peer stopped, 13 s or more after the peer is back. The gateway's bound (2 s by
 * default, ADRECON_GRPC_MAX_RECONNECT_BACKOFF_MS) must serve the peer's organization again within a few seconds.
 */
describe('the gateway after a long peer outage', function () {
  this.timeout(240_000);
  const outageMs = 48_000;
  /** Generous: a bounded backoff dials every 2 s; the 120 s default comes back 13 s or more after the return. */
  const servedWithinMs = 8_000;
  let ledger: LedgerClient;

  before(() => {
    const config = loadConfig();
    ledger = newFabricLedgerClient({
      profile: loadProfile(),
      timeouts: { evaluateMs: 3_000, endorseMs: 10_000, submitMs: 5_000, commitStatusMs: 30_000 },
      mvccRetries: 0,
      retryAfterSeconds: 1,
      reconnectBackoff: config.reconnectBackoff,
    });
  });
  after(async () => {
    ledger.close();
    await runScript('network-up.sh');
  });

  it('serves the organization again within a few seconds of its peer’s return', async () => {
    const profile = loadProfile();
    const publisher = mspOf(profile, 'PUBLISHER');
    const endpoint = profile.organizations.find((org) => org.mspId === publisher)?.peers[0]?.endpoint;
    if (endpoint === undefined) throw new Error('no publisher peer');
    const read = () => ledger.evaluate(publisher, 'roles:ListRoles', []);
    await read();

    await stopRecorded('peer0.publisher');
    const downUntil = Date.now() + outageMs;
    const failures = new Set<string>();
    while (Date.now() < downUntil) {
      // Traffic during the outage, as a gateway has: every call fails, and the channel keeps backing off.
      await read().then(
        () => expect.fail('a read succeeded while the peer was down'),
        (err: unknown) => failures.add((err as { code?: string }).code ?? String(err)),
      );
      await sleep(1_000);
    }
    expect([...failures]).to.deep.equal(['LEDGER_UNAVAILABLE']);

    const up = runScript('network-up.sh');
    while (!(await accepts(endpoint))) await sleep(50);
    const returnedAt = Date.now();
    let servedAt = 0;
    while (servedAt === 0 && Date.now() - returnedAt < 60_000) {
      try {
        await read();
        servedAt = Date.now();
      } catch {
        await sleep(100);
      }
    }
    await up;
    const lag = servedAt - returnedAt;
    process.stdout.write(`      served ${String(lag)} ms after the peer accepted connections again\n`);
    expect(servedAt, 'served again at all').to.be.greaterThan(0);
    expect(lag).to.be.lessThan(servedWithinMs);
  });
});
