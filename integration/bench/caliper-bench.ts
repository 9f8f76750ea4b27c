import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { uniqueId } from '../test/support/campaign-fixtures';
import { connectParties } from '../test/support/fabric-connection';
import { mspOf, repoRoot, runDir, type NetworkProfile } from '../test/support/network-profile';
import { submitConfidential } from '../test/support/confidential-submit';
import { activeCampaign, hourSlots } from './campaign-setup';
import { formatResult, type LoadResult } from './load';
import { runRawLoadInProcess, type RawLoad } from './raw-client-process';

/** Options of {@link runCaliperBench}. */
export interface CaliperBenchOptions {
  /** Transactions kept in flight, by Caliper's `fixed-load` rate controller and by our own load loop alike. */
  readonly concurrency: number;
  /** Transactions per write round (trivial writes, delivery reports). */
  readonly writes: number;
  /** Evaluations per read round. */
  readonly reads: number;
}

/** One round of Caliper's summary table. */
export interface CaliperRound {
  readonly name: string;
  readonly succeeded: number;
  readonly failed: number;
  readonly sendTps: number;
  readonly maxLatencyS: number;
  readonly minLatencyS: number;
  readonly avgLatencyS: number;
  readonly throughputTps: number;
}

const caliperDir = path.join(repoRoot, 'caliper');
const SEEDED_REPORTS = 20;
/** Each organization's one identity in Caliper's network configuration (workloads name it with the MSP ID). */
const CALIPER_IDENTITY = 'User1';
const HOUR_MS = 3_600_000;

/**
 * Rows of Caliper's summary table (`| Name | Succ | Fail | Send Rate (TPS) | Max Latency (s) | Min Latency (s) |
 * Avg Latency (s) | Throughput (TPS) |`) in its console output; the last row of a name wins.
 */
export function parseCaliperSummary(output: string): CaliperRound[] {
  const rounds = new Map<string, CaliperRound>();
  for (const line of output.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 8 || cells[0] === 'Name') continue;
    const [name = '', ...numbers] = cells;
    const values = numbers.map(Number);
    if (values.some((v) => !Number.isFinite(v))) continue;
    const [succeeded = 0, failed = 0, sendTps = 0, maxLatencyS = 0, minLatencyS = 0, avgLatencyS = 0, tps = 0] = values;
    rounds.set(name, {
      name,
      succeeded,
      failed,
      sendTps,
      maxLatencyS,
      minLatencyS,
      avgLatencyS,
      throughputTps: tps,
    });
  }
  return [...rounds.values()];
}

/**
 * Caliper's network configuration (version 2.0, peer-gateway connector) for the running network: every
 * organization with its CA-issued client identity and a connection profile naming its peers and their TLS CA.
 * Written into `dir`; returns the configuration's path.
 */
function writeNetworkConfig(profile: NetworkProfile, dir: string): string {
  const organizations = profile.organizations.map((org) => {
    const peers = Object.fromEntries(
      org.peers.map((peer) => [
        peer.hostAlias,
        {
          url: `grpcs://${peer.endpoint}`,
          tlsCACerts: { path: peer.tlsRootCertPath },
          grpcOptions: { 'ssl-target-name-override': peer.hostAlias },
        },
      ]),
    );
    const connectionProfile = path.join(dir, `${org.mspId}-connection.json`);
    fs.writeFileSync(
      connectionProfile,
      JSON.stringify(
        {
          name: `adrecon-${org.mspId}`,
          version: '1.0.0',
          client: { organization: org.mspId },
          organizations: { [org.mspId]: { mspid: org.mspId, peers: Object.keys(peers) } },
          peers,
        },
        null,
        2,
      ),
    );
    return {
      mspid: org.mspId,
      identities: {
        certificates: [
          {
            name: CALIPER_IDENTITY,
            clientPrivateKey: { path: org.identity.keyPath },
            clientSignedCert: { path: org.identity.certPath },
          },
        ],
      },
      connectionProfile: { path: connectionProfile, discover: true },
    };
  });
  const file = path.join(dir, 'network.yaml');
  fs.writeFileSync(
    file,
    stringify({
      name: 'adrecon',
      version: '2.0.0',
      caliper: { blockchain: 'fabric' },
      channels: [{ channelName: profile.channel, contracts: [{ id: profile.chaincode }] }],
      organizations,
    }),
  );
  return file;
}

/** `caliper/benchmark.yaml` with this run's load: `concurrency` in flight, `writes`/`reads` per round. */
function writeBenchmarkConfig(options: Readonly<CaliperBenchOptions>, dir: string): string {
  const config = parse(fs.readFileSync(path.join(caliperDir, 'benchmark.yaml'), 'utf8')) as {
    test: {
      rounds: {
        txNumber: number;
        rateControl: { opts: { transactionLoad: number } };
        readOnly?: boolean;
        workload: { module: string };
      }[];
    };
  };
  for (const round of config.test.rounds) {
    // Caliper's worker requires the module from its own package, not the workspace: the path must be absolute.
    round.workload.module = path.resolve(caliperDir, round.workload.module);
    round.txNumber = round.readOnly === true ? options.reads : options.writes;
    round.rateControl.opts.transactionLoad = options.concurrency;
    delete round.readOnly;
  }
  const file = path.join(dir, 'benchmark.yaml');
  fs.writeFileSync(file, stringify(config));
  return file;
}

/** Runs Caliper's manager (which forks its worker) in a process of its own; resolves with its console output. */
function runCaliper(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(caliperDir, 'caliper.cjs'), 'launch', 'manager', ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The whole log goes to a file; the console gets Caliper's result tables and its errors.
    const log = fs.createWriteStream(path.join(cwd, 'caliper.log'));
    let output = '';
    let pending = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log.write(text);
      output += text;
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (/^[|+]/.test(line) || line.includes('error')) console.log(`   ${line}`);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) => {
      log.end();
      if (code === 0) resolve(output);
      else reject(new Error(`Caliper exited with code ${String(code)}`));
    });
  });
}

function formatComparison(label: string, caliper: CaliperRound | undefined, ours: LoadResult): string {
  const theirs = caliper === undefined ? 'missing' : `${caliper.throughputTps.toFixed(1)} tx/s`;
  const failures = caliper === undefined ? '' : `, ${String(caliper.failed)} failed`;
  const ratio =
    caliper === undefined ? '' : `  ratio Caliper/ours ${(caliper.throughputTps / ours.perSecond).toFixed(2)}`;
  return (
    `   ${label.padEnd(30)} Caliper ${theirs} (avg ${caliper === undefined ? '-' : (caliper.avgLatencyS * 1000).toFixed(0)} ms${failures}); ` +
    `ours ${ours.perSecond.toFixed(1)} tx/s (p50 ${ours.p50Ms.toFixed(0)} ms)${ratio}`
  );
}

/**
 * Hyperledger Caliper against the running network, then our own raw-client load at the same concurrency and
 * counts, side by side: trivial writes (`bench:Put`), delivery reports (`delivery:Submit`, transient inputs) and
 * report reads (`delivery:Get`). The bench contract must be deployed (`withBenchContract`). Caliper runs in its own
 * processes (manager and one worker, `caliper/caliper.cjs`) with its own peer-gateway connector; its report and log
 * are written to `network/run/caliper/` (`report.html`, `caliper.log`).
 */
export async function runCaliperBench(profile: NetworkProfile, options: Readonly<CaliperBenchOptions>): Promise<void> {
  const dir = path.join(runDir, 'caliper');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const conns = connectParties(profile);
  try {
    const { campaignId, lineItemId } = await activeCampaign(profile, conns);
    const publisher = mspOf(profile, 'PUBLISHER');
    const slot = hourSlots();
    const runId = uniqueId('cal');
    let lastHourMs = 0;
    const report = (reportId: string) => {
      const { periodStart, periodEnd, startMs } = slot();
      lastHourMs = startMs;
      return { reportId, campaignId, lineItemId, periodStart, periodEnd, impressions: 10_000, invalidImpressions: 10 };
    };
    const seeded = Array.from({ length: SEEDED_REPORTS }, (_, i) => report(`${runId}-seed-${String(i)}`));
    await submitConfidential(conns.publisher.contract, 'delivery:SubmitBatch', [JSON.stringify(seeded)]);
    // Caliper's delivery reports take 1,000 hours after the seeded ones; ours follow theirs.
    const fixture = path.join(dir, 'fixture.json');
    fs.writeFileSync(
      fixture,
      JSON.stringify({
        runId,
        campaignId,
        lineItemId,
        publisher,
        publisherIdentity: CALIPER_IDENTITY,
        firstFreeHourMs: lastHourMs + HOUR_MS,
        seededReportIds: seeded.map((r) => r.reportId),
      }),
    );
    for (let i = 0; i < 1000; i++) slot();

    console.log(
      `\n8. Hyperledger Caliper 0.7.1 (peer-gateway connector, its own processes) vs our raw client, ` +
        `${String(options.concurrency)} in flight`,
    );
    const output = await runCaliper(
      [
        '--caliper-workspace',
        caliperDir,
        '--caliper-benchconfig',
        writeBenchmarkConfig(options, dir),
        '--caliper-networkconfig',
        writeNetworkConfig(profile, dir),
        '--caliper-report-path',
        path.join(dir, 'report.html'),
        '--caliper-flow-only-test',
      ],
      { ADRECON_CALIPER_FIXTURE: fixture },
      dir,
    );
    const caliper = parseCaliperSummary(output);

    // Our raw client, like Caliper's worker, in a process of its own.
    const ours = (label: string, kind: RawLoad['kind'], transaction: string, argumentLists: string[][]) =>
      runRawLoadInProcess({
        label,
        mspId: publisher,
        kind,
        transaction,
        concurrency: options.concurrency,
        argumentLists,
      });
    const trivial = await ours(
      'trivial write (bench:Put)',
      'submit',
      'bench:Put',
      Array.from({ length: options.writes }, (_, i) => [`${runId}-ours-${String(i)}`, 'x']),
    );
    console.log(formatResult(trivial));
    const reports = await ours(
      'delivery:Submit',
      'submitConfidential',
      'delivery:Submit',
      Array.from({ length: options.writes }, (_, i) => [JSON.stringify(report(`${runId}-ours-${String(i)}`))]),
    );
    console.log(formatResult(reports));
    const reads = await ours(
      'delivery:Get',
      'evaluate',
      'delivery:Get',
      Array.from({ length: options.reads }, (_, i) => [publisher, seeded[i % seeded.length]?.reportId ?? '']),
    );
    console.log(formatResult(reads));
    const round = (name: string) => caliper.find((r) => r.name === name);
    for (const name of ['trivial-write', 'delivery-report', 'report-read']) {
      const r = round(name);
      if (r === undefined || r.failed > 0 || r.succeeded === 0) {
        console.error(`   Caliper's round ${name}: ${r === undefined ? 'no result' : `${String(r.failed)} failed`}`);
        process.exitCode = 1;
      }
    }
    console.log('\n   side by side (committed or evaluated per second over each round):');
    console.log(formatComparison('trivial write (bench:Put)', round('trivial-write'), trivial));
    console.log(formatComparison('delivery report (Submit)', round('delivery-report'), reports));
    console.log(formatComparison('report read (delivery:Get)', round('report-read'), reads));
  } finally {
    conns.close();
  }
}
