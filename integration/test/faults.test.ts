import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { uniqueId } from './support/campaign-fixtures';
import { repoRoot } from './support/network-profile';
import { runScript, runScriptResult, signalRecorded } from './support/network-scripts';
import { http, type RestGateway, startRestGateway } from './support/rest-gateway';
import { acceptAsAgencyAndPublisher } from './support/rest-campaigns';
import { ReportLoad } from './support/report-load';
import { isolatedBasePort, isolatedEnv } from './support/isolated-network';

/** How long the load runs before each fault, and at most after it, waiting for service to resume. */
const SETTLE_MS = 4_000;
const RESUME_LIMIT_MS = 90_000;
/** Concurrent REST writers, each submitting one delivery report at a time with its own Idempotency-Key. */
const WRITERS = 6;

interface Fault {
  readonly name: string;
  inject(): Promise<void>;
  /** One of an organization's two nodes of a kind dies: the goal is no failed write at all. */
  readonly redundant: boolean;
}

interface FaultResult {
  readonly name: string;
  readonly redundant: boolean;
  readonly resumedAfterMs: number | undefined;
  /** How long injecting the fault itself took. */
  readonly injectionMs: number;
  readonly failures: Readonly<Record<string, number>>;
}

/** The organizations of the fault suite's network: the load's campaign's parties. */
const PARTIES: readonly string[] = ['AdvertiserMSP', 'PublisherMSP', 'AgencyMSP'];
const FLIGHT_START = Date.UTC(2026, 0, 1);

describe('fault suite: acknowledged writes survive node crashes (issue 12 item 5)', function () {
  this.timeout(900_000);
  let runDir = '';
  const basePort = isolatedBasePort('faults');
  let definition = '';
  const isolated = () => isolatedEnv(runDir, basePort, { definition });
  let started: RestGateway | undefined;

  before(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-faults-'));
    // The default network with no single point: three Raft orderers, and two peers and two chaincode servers per
    // organization (peer i uses server i). The parties of the load's campaign only (the second publisher's four
    // nodes would add load to a 2-core machine and nothing to the faults).
    const base = JSON.parse(fs.readFileSync(path.join(repoRoot, 'network', 'network.json'), 'utf8')) as {
      orderer: { nodes: number };
      organizations: { mspId: string }[];
    };
    definition = path.join(runDir, 'network.json');
    const organizations = base.organizations
      .filter((o) => PARTIES.includes(o.mspId))
      .map((o) => ({ ...o, peers: 2, chaincodeServers: 2 }));
    fs.writeFileSync(
      definition,
      JSON.stringify({ ...base, orderer: { ...base.orderer, nodes: 3 }, organizations }, null, 2),
    );
    await runScript('network-up.sh', [], isolated());
    await runScript('deploy-chaincode.sh', [], isolated());
    started = await startRestGateway(isolated());
  });
  let failed = false;
  afterEach(function () {
    if (this.currentTest?.state !== 'passed') failed = true;
  });
  after(async () => {
    await started?.stop().catch(() => undefined);
    await runScriptResult('network-down.sh', [], isolated());
    // After a failure the run folder (nodes' logs, PID records, supervisor log) is kept for the diagnosis.
    if (failed) console.log(`      the fault network's run folder is kept: ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('loses no acknowledged delivery report through node crashes and a whole-network restart, and serves again with no person acting', async () => {
    if (started === undefined) throw new Error('the gateways did not start');
    const gateway = started;
    // An active one-publisher campaign running all of 2026, so that each report gets an hour of its own.
    const campaignId = uniqueId('cmp');
    const mspIds = gateway.gateways.map((g) => g.mspId);
    const msp = (prefix: string) => mspIds.find((m) => m.toLowerCase().startsWith(prefix)) ?? '';
    const proposed = await http(gateway, 'POST', '/campaigns', {
      clientId: 'advertiser-operations',
      body: {
        campaignId,
        name: 'Fault suite',
        advertiser: msp('advertiser'),
        agency: msp('agency'),
        currency: 'EUR',
        lineItems: [
          {
            lineItemId: 'li-1',
            publisher: 'PublisherMSP',
            cpmMicros: 1_500_000,
            bookedImpressions: 6_000_000_000_000,
            flightStart: '2026-01-01',
            flightEnd: '2026-12-31',
          },
        ],
      },
    });
    expect(proposed.status, proposed.text).to.equal(201);
    await acceptAsAgencyAndPublisher(gateway, campaignId);

    // The load: each writer retries its current report (same body, same Idempotency-Key) until it is acknowledged.
    const load = new ReportLoad(gateway, 'f-', FLIGHT_START);
    load.start({ name: 'publisher', campaignId, clientId: 'publisher-operations' }, WRITERS);
    const { acknowledged, attempts } = load;

    const raftLeader = async (): Promise<string> => {
      for (const name of fs.readdirSync(path.join(runDir, 'pids')).filter((f) => /^orderer\d+\.json$/.test(f))) {
        const orderer = name.slice(0, -'.json'.length);
        const index = Number(orderer.slice('orderer'.length));
        // Operations port of orderer i: see docs/network.md (base + 50 + 10 i + 4).
        const ops = basePort + 50 + 10 * index + 4;
        const text = await (await fetch(`http://127.0.0.1:${String(ops)}/metrics`)).text();
        if (text.includes('consensus_etcdraft_is_leader{channel="adrecon"} 1')) return orderer;
      }
      throw new Error('no Raft leader found');
    };
    const kill = (name: string) => () => {
      signalRecorded(name, 'SIGKILL', runDir);
      return Promise.resolve();
    };
    const faults: Fault[] = [
      {
        name: "kill -9 of one of the publisher's two chaincode servers (its gateway's own peer's)",
        inject: kill('chaincode-publisher'),
        redundant: true,
      },
      {
        name: "kill -9 of one of the publisher's two peers (its gateway's own)",
        inject: kill('peer0.publisher'),
        redundant: true,
      },
      {
        name: 'kill -9 of the Raft leader',
        inject: async () => {
          signalRecorded(await raftLeader(), 'SIGKILL', runDir);
        },
        redundant: false,
      },
      {
        name: "kill -9 of the publisher's REST gateway, requests in flight",
        inject: kill(gateway.of('PublisherMSP').name),
        redundant: false,
      },
      {
        name: 'whole-network stop and start (network:down, network:up, gateways started again)',
        inject: async () => {
          await runScript('network-down.sh', [], isolated());
          await runScript('network-up.sh', [], isolated());
          await gateway.restart();
        },
        redundant: false,
      },
    ];
    const results: FaultResult[] = [];
    try {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      for (const [index, fault] of faults.entries()) {
        const injectedAt = Date.now();
        await fault.inject();
        const injectionMs = Date.now() - injectedAt;
        // Service is measured from the end of the injection (a fault may take time of its own to inject).
        const injected = Date.now();
        // Service is back at the answer to the first write sent after the fault that was acknowledged.
        let resumedAfterMs: number | undefined;
        while (Date.now() - injected < RESUME_LIMIT_MS) {
          const ok = attempts.find((a) => a.sentAt > injected && (a.status === 200 || a.status === 201));
          if (ok) {
            resumedAfterMs = ok.at - injected;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        // Failed attempts answered between this fault and the next one (or the end of the load).
        const until = index === faults.length - 1 ? Infinity : Date.now();
        const failures: Record<string, number> = {};
        for (const a of attempts) {
          if (a.at > injectedAt && a.at <= until && a.status !== 200 && a.status !== 201) {
            failures[String(a.status)] = (failures[String(a.status)] ?? 0) + 1;
          }
        }
        results.push({ name: fault.name, redundant: fault.redundant, resumedAfterMs, injectionMs, failures });
      }
    } finally {
      await load.stop();
    }

    // Every acknowledged report is on every party's peer, once, with the acknowledged content.
    const lost: string[] = [];
    for (const clientId of ['advertiser-operations', 'agency-operations', 'publisher-operations']) {
      for (const [reportId, { impressions }] of acknowledged) {
        const res = await http<{ data: { impressions: number } }>(
          gateway,
          'GET',
          `/delivery-reports/PublisherMSP/${reportId}`,
          { clientId },
        );
        if (res.status !== 200 || res.body.data.impressions !== impressions)
          lost.push(`${clientId}: ${reportId} → ${String(res.status)}`);
      }
    }
    console.log(`      ${String(acknowledged.size)} acknowledged writes, ${String(attempts.length)} attempts in all`);
    for (const r of results) {
      console.log(
        `      ${r.name}: service again after ${r.resumedAfterMs === undefined ? 'never' : `${String(r.resumedAfterMs)} ms`} (injection took ${String(r.injectionMs)} ms); failed attempts by status ${JSON.stringify(r.failures)}`,
      );
    }
    expect(lost, 'acknowledged reports missing or different on a party’s peer').to.deep.equal([]);
    expect(
      results.filter((r) => r.resumedAfterMs === undefined).map((r) => r.name),
      'faults after which no write succeeded',
    ).to.deep.equal([]);
    expect(
      attempts.filter((a) => a.status === 500),
      'answers 500',
    ).to.deep.equal([]);
    expect(
      results.filter((r) => r.redundant).map((r) => ({ fault: r.name, failures: r.failures })),
      'failed writes while the other peer or chaincode server of the organization served',
    ).to.deep.equal(results.filter((r) => r.redundant).map((r) => ({ fault: r.name, failures: {} })));
  });
});
