import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LIMITS } from '@adrecon/contract';
import { uniqueId } from './support/campaign-fixtures';
import { repoRoot } from './support/network-profile';
import { runScript, runScriptResult } from './support/network-scripts';
import { type LoadAttempt, ReportLoad } from './support/report-load';
import { http, type RestGateway, startRestGateway } from './support/rest-gateway';
import { isolatedBasePort, isolatedEnv } from './support/isolated-network';

/** How long one organization stays cut off (issue 12 item 5: 30 s). */
const CUT_OFF_MS = 30_000;
/** Load before the cut, and after service is back. */
const SETTLE_MS = 4_000;
/** At most this long after the heal for writes to succeed again and the cut-off peer to catch up. */
const RECOVERY_LIMIT_MS = 120_000;
/** Concurrent REST writers per campaign, each submitting one third-party report at a time with its own key. */
const WRITERS = 3;
const FLIGHT_START = Date.UTC(2026, 0, 1);
/** The organization cut off, and the campaign parties that stay connected. */
const CUT = { name: 'Publisher2', mspId: 'Publisher2MSP', clientId: 'publisher2-operations' };
const CONNECTED_PUBLISHER = { mspId: 'PublisherMSP', clientId: 'publisher-operations' };

interface ListPage {
  data: { records: { reportId: string }[]; bookmark: string };
}

/** Runs `fabric-network.mjs` with the isolated network's settings. */
function networkCommand(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(repoRoot, 'test-network-scripts', 'fabric-network.mjs'), ...args],
      { cwd: repoRoot, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`fabric-network.mjs ${args.join(' ')}: ${stderr || err.message}`));
        else resolve(stdout);
      },
    );
  });
}

/** The channel's height on a peer, from its operations endpoint (undefined when it cannot be reached). */
async function ledgerHeight(address: string, operationsPort: number): Promise<number | undefined> {
  try {
    const res = await fetch(`http://${address}:${String(operationsPort)}/metrics`, {
      signal: AbortSignal.timeout(2_000),
    });
    const line = (await res.text())
      .split('\n')
      .find((l) => l.startsWith('ledger_blockchain_height{') && l.includes('channel="adrecon"'));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  } catch {
    return undefined;
  }
}

interface PeerAt {
  readonly name: string;
  readonly pid: number;
  readonly address: string;
  readonly operationsPort: number;
}

/**
 * Polls `peer`'s height until it reaches `height`: the ms from `since` when it has, or undefined when
 * {@link RECOVERY_LIMIT_MS} from `since` passed first.
 */
async function caughtUpAfter(peer: PeerAt, height: number, since: number): Promise<number | undefined> {
  while (Date.now() - since < RECOVERY_LIMIT_MS) {
    const own = await ledgerHeight(peer.address, peer.operationsPort);
    if (own !== undefined && own >= height) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

describe('one organization cut off for 30 s in its network namespace, then healed (issue 12 items 4 and 5)', function () {
  this.timeout(900_000);
  let runDir = '';
  // Namespace names and the subnet derive from the base port, so they differ from every other network's.
  const basePort = isolatedBasePort('cutoff');
  let definition = '';
  const isolated = () => isolatedEnv(runDir, basePort, { definition });
  let started: RestGateway | undefined;

  const peers = (): PeerAt[] => {
    const status = JSON.parse(fs.readFileSync(path.join(runDir, 'network-profile.json'), 'utf8')) as {
      organizations: { mspId: string; peers: { endpoint: string }[] }[];
    };
    return status.organizations.flatMap((o) =>
      o.peers.map((p) => {
        const [address = '', port = '0'] = p.endpoint.split(':');
        const name = `peer0.${o.mspId.slice(0, -'MSP'.length).toLowerCase()}`;
        const record = JSON.parse(fs.readFileSync(path.join(runDir, 'pids', `${name}.json`), 'utf8')) as {
          pid: number;
        };
        // Operations port of a peer: its peer port + 2 (docs/network.md).
        return { name, pid: record.pid, address, operationsPort: Number(port) + 2 };
      }),
    );
  };

  before(async function () {
    // Network namespaces need CAP_NET_ADMIN: without root the test is skipped (and counted as skipped).
    if (process.getuid?.() !== 0) {
      console.log('      skipped: creating network namespaces (ip netns) needs root');
      this.skip();
    }
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-cutoff-'));
    const base = JSON.parse(fs.readFileSync(path.join(repoRoot, 'network', 'network.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    definition = path.join(runDir, 'network.json');
    fs.writeFileSync(definition, JSON.stringify({ ...base, namespaces: true }, null, 2));
    await runScript('network-up.sh', [], isolated());
    await runScript('deploy-chaincode.sh', [], isolated());
    started = await startRestGateway(isolated());
  });
  after(async () => {
    // Skipped before its network was made: nothing to stop (an empty run folder would name the shared network's).
    if (runDir === '') return;
    await started?.stop().catch(() => undefined);
    const down = await runScriptResult('network-down.sh', [], isolated());
    if (down.code !== 0) console.error(down.output);
    // ADRECON_KEEP_LOGS=<folder>: the nodes' logs are copied there before the run folder goes.
    const keep = process.env.ADRECON_KEEP_LOGS;
    if (keep) fs.cpSync(path.join(runDir, 'logs'), keep, { recursive: true });
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('runs each organization in its own namespace, on its own address, and status shows them', async () => {
    const at = peers();
    for (const p of at) {
      const org = p.name.slice('peer0.'.length);
      const namespace = execFileSync('ip', ['netns', 'identify', String(p.pid)], { encoding: 'utf8' }).trim();
      expect(namespace, `${p.name}'s namespace`).to.equal(`adrecon-${String(basePort)}-${org}`);
      expect(p.address, `${p.name} is dialled on its namespace's address, not loopback`).to.not.equal('127.0.0.1');
    }
    expect(new Set(at.map((p) => p.address)).size, 'one address per organization').to.equal(at.length);
    const status = await networkCommand(['status'], isolated());
    for (const p of at) expect(status).to.include(`adrecon-${String(basePort)}-${p.name.slice('peer0.'.length)}`);
  });

  it('loses and duplicates no acknowledged write, answers 503 for what needs the cut-off organization, and catches up by itself', async () => {
    if (started === undefined) throw new Error('the gateways did not start');
    const gateway = started;
    // Two active campaigns of the agency: one with the organization to be cut off as its publisher, one without it.
    const campaignOf = async (publisher: { mspId: string; clientId: string }) => {
      const campaignId = uniqueId('cut');
      const proposed = await http(gateway, 'POST', '/campaigns', {
        clientId: 'advertiser-operations',
        body: {
          campaignId,
          name: 'Cut-off fault',
          advertiser: 'AdvertiserMSP',
          agency: 'AgencyMSP',
          currency: 'EUR',
          lineItems: [
            {
              lineItemId: 'li-1',
              publisher: publisher.mspId,
              cpmMicros: 1_500_000,
              bookedImpressions: 6_000_000_000_000,
              flightStart: '2026-01-01',
              flightEnd: '2026-12-31',
            },
          ],
        },
      });
      expect(proposed.status, proposed.text).to.equal(201);
      for (const clientId of ['agency-operations', publisher.clientId]) {
        const accepted = await http(gateway, 'POST', `/campaigns/${campaignId}/acceptances`, {
          clientId,
          body: { version: 1 },
        });
        expect(accepted.status, accepted.text).to.be.oneOf([200, 201]);
      }
      return campaignId;
    };
    const withCut = await campaignOf(CUT);
    const withoutCut = await campaignOf(CONNECTED_PUBLISHER);

    // The load: the agency's third-party reports on both campaigns, each retried with the same body and
    // Idempotency-Key until acknowledged.
    const load = new ReportLoad(gateway, 'c-', FLIGHT_START);
    load.start({ name: 'with', campaignId: withCut, clientId: 'agency-operations' }, WRITERS);
    load.start({ name: 'without', campaignId: withoutCut, clientId: 'agency-operations' }, WRITERS);
    const { acknowledged, attempts } = load;

    const cutPeer = peers().find((p) => p.name === `peer0.${CUT.name.toLowerCase()}`);
    if (!cutPeer) throw new Error('no peer of the organization to cut off');
    let cutAt = 0;
    let healedAt = 0;
    let resumedAfterMs: number | undefined;
    let heights = '';
    // Set at the heal: how long its command took, the connected peers' height then, and the healed peer's catch-up.
    const heal: { commandMs: number; heightAtHeal: number; catchUp: Promise<number | undefined> } = {
      commandMs: 0,
      heightAtHeal: 0,
      catchUp: Promise.resolve(undefined),
    };
    try {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      await networkCommand(['netns-cut', CUT.name], isolated());
      cutAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, CUT_OFF_MS));
      // What the connected peers committed while it was cut off: the healed peer has caught up once it has as much.
      const connected = peers().filter((p) => p.name !== cutPeer.name);
      heal.heightAtHeal = Math.max(
        ...(await Promise.all(connected.map((p) => ledgerHeight(p.address, p.operationsPort)))).map((h) => h ?? 0),
      );
      // Recovery is measured from the start of the heal command (the link comes up during it): an upper bound.
      healedAt = Date.now();
      await networkCommand(['netns-heal', CUT.name], isolated());
      heal.commandMs = Date.now() - healedAt;
      heal.catchUp = caughtUpAfter(cutPeer, heal.heightAtHeal, healedAt);
      // Full service: a write that needs the healed organization, sent after the heal, is acknowledged.
      while (Date.now() - healedAt < RECOVERY_LIMIT_MS && resumedAfterMs === undefined) {
        const ok = attempts.find(
          (a) => a.target === 'with' && a.sentAt > healedAt && (a.status === 200 || a.status === 201),
        );
        if (ok) resumedAfterMs = ok.at - healedAt;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    } finally {
      await load.stop();
    }
    const caughtUpAfterMs = await heal.catchUp;
    // Once the load has stopped, every peer ends at the same height.
    let converged = false;
    while (Date.now() - healedAt < RECOVERY_LIMIT_MS && !converged) {
      const all = await Promise.all(peers().map((p) => ledgerHeight(p.address, p.operationsPort)));
      heights = all.map(String).join(', ');
      converged = all.every((h) => h !== undefined && h === all[0]);
      if (!converged) await new Promise((resolve) => setTimeout(resolve, 250));
    }

    // Every acknowledged report is on every party's peer, once, with the acknowledged content; the cut-off
    // organization's gateway reads its campaign's reports too.
    const lost: string[] = [];
    for (const [reportId, { campaignId, impressions }] of acknowledged) {
      const readers = [
        'advertiser-operations',
        'agency-operations',
        campaignId === withCut ? CUT.clientId : CONNECTED_PUBLISHER.clientId,
      ];
      for (const clientId of readers) {
        const res = await http<{ data: { impressions: number } }>(
          gateway,
          'GET',
          `/delivery-reports/AgencyMSP/${reportId}`,
          { clientId },
        );
        if (res.status !== 200 || res.body.data.impressions !== impressions)
          lost.push(`${clientId}: ${reportId} → ${String(res.status)}`);
      }
    }
    const listed: string[] = [];
    for (const campaignId of [withCut, withoutCut]) {
      let bookmark = '';
      for (let page = 0; page < 100; page++) {
        const res = await http<ListPage>(
          gateway,
          'GET',
          `/delivery-reports?campaignId=${campaignId}&pageSize=${String(LIMITS.pageSize)}${bookmark ? `&bookmark=${bookmark}` : ''}`,
          { clientId: 'agency-operations' },
        );
        expect(res.status, res.text).to.equal(200);
        listed.push(...res.body.data.records.map((r) => r.reportId));
        bookmark = res.body.data.bookmark;
        if (bookmark === '') break;
      }
    }
    const duplicated = listed.filter((id, i) => listed.indexOf(id) !== i);
    const unacknowledgedOnLedger = listed.filter((id) => !acknowledged.has(id));

    const during = (a: LoadAttempt) => a.sentAt >= cutAt && a.at <= healedAt;
    const failuresOf = (campaign: 'with' | 'without', from: number, to: number) => {
      const out: Record<string, number> = {};
      for (const a of attempts) {
        if (a.target !== campaign || a.at < from || a.at > to || a.status === 200 || a.status === 201) continue;
        const key = `${String(a.status)}${a.status === 503 && a.retryAfter === null ? ' without Retry-After' : ''}`;
        out[key] = (out[key] ?? 0) + 1;
      }
      return out;
    };
    const acknowledgedDuring = (campaign: 'with' | 'without') =>
      attempts.filter((a) => a.target === campaign && during(a) && (a.status === 200 || a.status === 201)).length;
    const ms = (v: number | undefined) => (v === undefined ? 'never' : `${String(v)} ms`);
    console.log(
      `      ${String(acknowledged.size)} acknowledged writes, ${String(attempts.length)} attempts; ${CUT.mspId} cut off for ${String(healedAt - cutAt)} ms (the heal command took ${String(heal.commandMs)} ms)`,
    );
    console.log(
      `      | campaign | acknowledged while cut off | failed attempts by status (cut-off to heal) | failed after the heal |`,
    );
    for (const campaign of ['with', 'without'] as const) {
      console.log(
        `      | ${campaign} ${CUT.mspId} | ${String(acknowledgedDuring(campaign))} | ${JSON.stringify(failuresOf(campaign, cutAt, healedAt))} | ${JSON.stringify(failuresOf(campaign, healedAt, Infinity))} |`,
      );
    }
    console.log(
      `      lost ${String(lost.length)}, duplicated ${String(duplicated.length)}, on the ledger though never acknowledged ${String(unacknowledgedOnLedger.length)}; writes needing ${CUT.mspId} again ${ms(resumedAfterMs)} after the heal; its peer reached the others' height at the heal (${String(heal.heightAtHeal)}) ${ms(caughtUpAfterMs)} after it; heights at the end ${heights}`,
    );

    expect(lost, 'acknowledged reports missing or different on a party’s peer').to.deep.equal([]);
    expect(duplicated, 'reports listed twice').to.deep.equal([]);
    expect(
      attempts.filter((a) => a.status === 500),
      'answers 500',
    ).to.deep.equal([]);
    expect(resumedAfterMs, 'writes that need the healed organization succeed again').to.not.equal(undefined);
    expect(caughtUpAfterMs, 'the healed peer reaches the other peers’ height by itself').to.not.equal(undefined);
    expect(converged, `every peer at the same height once the load stopped (${heights})`).to.equal(true);
    expect(
      acknowledgedDuring('without'),
      'writes acknowledged on the campaign without the cut-off organization',
    ).to.be.above(0);
    // While cut off, a write that needs the cut-off organization's endorsement cannot be acknowledged: it answers
    // 503 with Retry-After (the attempts that started before the cut may still end otherwise).
    const cutOffAnswers = attempts.filter((a) => a.target === 'with' && a.sentAt >= cutAt + 1_000 && a.at <= healedAt);
    expect(cutOffAnswers.length, 'attempts on the cut-off campaign while it was cut off').to.be.above(0);
    expect(
      cutOffAnswers.filter((a) => a.status !== 503 || a.retryAfter === null).map((a) => a.status),
      'answers other than 503 with Retry-After on the campaign of the cut-off organization',
    ).to.deep.equal([]);
  });

  it('a write a party’s lagging peer refuses for lack of a record answers 503, not 404, and commits once that peer has caught up', async () => {
    if (started === undefined) throw new Error('the gateways did not start');
    const gateway = started;
    const agency = peers().find((p) => p.name === 'peer0.agency');
    const advertiser = peers().find((p) => p.name === 'peer0.advertiser');
    if (!agency || !advertiser) throw new Error('no agency or advertiser peer');
    // The orderers' namespace drops what it sends to the agency's address: the agency's peer stops receiving blocks,
    // while every gateway still reaches it for endorsements (its own link stays up).
    const ordererNamespace = `adrecon-${String(basePort)}-orderer`;
    const route = (action: 'add' | 'del') =>
      execFileSync('ip', [
        'netns',
        'exec',
        ordererNamespace,
        'ip',
        'route',
        action,
        'blackhole',
        `${agency.address}/32`,
      ]);
    const campaignId = uniqueId('lag');
    route('add');
    try {
      // Without a consistency token (X-Min-Block would make the request wait for every party's peer before it is
      // even endorsed, and answer 503 from that wait): what is measured is the gateway's handling of the refusal.
      const proposed = await http(gateway, 'POST', '/campaigns', {
        clientId: 'advertiser-operations',
        consistent: false,
        body: {
          campaignId,
          name: 'Lagging endorser',
          advertiser: 'AdvertiserMSP',
          agency: 'AgencyMSP',
          currency: 'EUR',
          lineItems: [
            {
              lineItemId: 'li-1',
              publisher: CONNECTED_PUBLISHER.mspId,
              cpmMicros: 1_500_000,
              bookedImpressions: 1_000_000,
              flightStart: '2026-01-01',
              flightEnd: '2026-12-31',
            },
          ],
        },
      });
      expect(proposed.status, proposed.text).to.equal(201);
      // The advertiser cancels its proposal at once, through its own API: its own peer has the campaign, the agency's
      // (which must endorse) does not. Without the lag check that answered 404 CAMPAIGN_NOT_FOUND, which is false.
      const sentAt = Date.now();
      const cancelled = await http(gateway, 'POST', `/campaigns/${campaignId}/cancellation`, {
        clientId: 'advertiser-operations',
        consistent: false,
        body: { reason: 'lag test' },
      });
      console.log(
        `      while the agency's peer missed blocks: ${String(cancelled.status)} after ${String(Date.now() - sentAt)} ms`,
      );
      expect(cancelled.status, cancelled.text).to.equal(503);
      expect((cancelled.body as { error?: { code?: string } }).error?.code, cancelled.text).to.equal('LEDGER_BEHIND');
      expect(cancelled.headers.get('retry-after'), 'Retry-After').to.not.equal(null);
    } finally {
      route('del');
    }
    // Healed: the agency's peer catches up by itself, and the same cancellation then commits (nothing was ordered).
    const target = (await ledgerHeight(advertiser.address, advertiser.operationsPort)) ?? 0;
    const caughtUp = await caughtUpAfter(agency, target, Date.now());
    expect(caughtUp, 'the agency’s peer catches up once the orderers reach it again').to.not.equal(undefined);
    const retried = await http<{ data: { status: string } }>(gateway, 'POST', `/campaigns/${campaignId}/cancellation`, {
      clientId: 'advertiser-operations',
      body: { reason: 'lag test' },
    });
    expect(retried.status, retried.text).to.be.oneOf([200, 201]);
    expect(retried.body.data.status).to.equal('CANCELLED');
  });
});
