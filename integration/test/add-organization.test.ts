import { decodeBlock, procStat, transactionIdOf } from '@adrecon/gateway';
import { common, msp } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replayedEvents } from './support/replayed-events';
import { campaignTerms, marchDay, uniqueId } from './support/campaign-fixtures';
import { connectAs } from './support/fabric-connection';
import { loadProfile, repoRoot } from './support/network-profile';
import { runScript, runScriptResult, type ScriptResult } from './support/network-scripts';
import { http, type RestGateway, servedWithin, startRestGateway } from './support/rest-gateway';
import { isolatedBasePort, isolatedEnv } from './support/isolated-network';

interface Envelope<T> {
  data: T;
  block?: string;
}

/** What identifies one running process: its PID and its start time in clock ticks since boot (from /proc). */
interface ProcessIdentity {
  pid: number;
  startTicks: string;
}

/** Every recorded process of a run folder that runs now, by name, with its PID and start time. */
function runningProcesses(runDir: string): Map<string, ProcessIdentity> {
  const dir = path.join(runDir, 'pids');
  const result = new Map<string, ProcessIdentity>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const record = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { name: string; pid: number };
    const stat = procStat(record.pid);
    if (stat === undefined) continue;
    result.set(record.name, { pid: record.pid, startTicks: stat.startTicks });
  }
  return result;
}

/** Runs `fabric-network.mjs` with an environment; resolves with its exit code and output. */
function networkCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot, 'test-network-scripts', 'fabric-network.mjs'), ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** The MSP ID of the client that created a transaction of a block (its signature header's creator). */
function creatorOf(blockBytes: Uint8Array, transactionId: string): string | undefined {
  const envelope = decodeBlock(blockBytes).data.find((e) => transactionIdOf(e) === transactionId);
  if (envelope === undefined) return undefined;
  const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelope).getPayload_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(
    payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array(),
  );
  return msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8()).getMspid();
}

const NEW_ORG = 'Publisher3';
const NEW_MSP = 'Publisher3MSP';

/**
 * Issue 9 item 6 on a network of its own (run folder and ports), so the shared network keeps its four
 * organizations: a fifth organization, a third publisher, joins while everything runs.
 */
describe('a new organization joins the running channel (npm run network:add-org)', function () {
  this.timeout(900_000);
  let runDir = '';
  const basePort = isolatedBasePort('addOrganization');
  const isolated = () => isolatedEnv(runDir, basePort);
  let gateway: RestGateway | undefined;

  before(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-add-org-'));
    await runScript('network-up.sh', [], isolated());
    await runScript('deploy-chaincode.sh', [], isolated());
    // The four organizations' REST gateways, with a port kept free for the fifth.
    gateway = await startRestGateway(isolated(), { ports: 5 });
  });
  after(async () => {
    await gateway?.stop();
    await runScriptResult('network-down.sh', [], isolated());
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('adds a third publisher while every node, chaincode server, CA and gateway keeps running, its own role registration on the ledger', async () => {
    if (gateway === undefined) throw new Error('no gateway');
    const rest = gateway;
    const before = runningProcesses(runDir);
    for (const name of ['orderer0', 'peer0.advertiser', 'chaincode-agency', 'ca.publisher2', 'supervisor']) {
      expect(before.has(name), `${name} runs before the addition`).to.equal(true);
    }
    expect([...before.keys()].filter((n) => n.startsWith('gateway-'))).to.have.length(4);

    // An existing organization's gateway answers a ledger read throughout the addition.
    const reads: number[] = [];
    const addition = { running: true };
    const polling = (async () => {
      while (addition.running) {
        const res = await http(rest, 'GET', '/roles', { clientId: 'agency-operations', consistent: false });
        reads.push(res.status);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const added = await networkCommand(
      [
        'add-org',
        NEW_ORG,
        'PUBLISHER',
        '--port',
        String(rest.portBase),
        '--instance',
        rest.instance,
        '--state-dir',
        rest.stateRoot,
        '--json',
      ],
      isolated(),
    ).finally(() => {
      addition.running = false;
    });
    await polling;
    expect(added.code, added.output).to.equal(0);
    process.stdout.write(`      add-org:\n${added.output.trim()}\n`);
    const summary = JSON.parse(
      added.output
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop() ?? '{}',
    ) as { mspId: string; configUpdateSigners: string[]; sequence: number; gateway?: { url: string } };
    expect(summary.mspId).to.equal(NEW_MSP);
    // A majority of the four existing organizations' admins signed the channel configuration update.
    expect(summary.configUpdateSigners).to.have.length(3);
    expect(summary.configUpdateSigners).to.not.include(NEW_MSP);
    expect(summary.sequence, 'the chaincode was defined again (next sequence)').to.equal(2);
    expect(reads.length, 'reads were made during the addition').to.be.greaterThan(4);
    expect(
      reads.every((s) => s === 200),
      `every read answered 200: ${reads.join(',')}`,
    ).to.equal(true);

    const after = runningProcesses(runDir);
    for (const [name, identity] of before) {
      expect(after.get(name), `${name} was not restarted`).to.deep.equal(identity);
    }
    for (const name of [
      'ca.publisher3',
      'peer0.publisher3',
      'chaincode-publisher3',
      `gateway-${rest.instance}-publisher3`,
    ]) {
      expect(after.has(name), `${name} runs after the addition`).to.equal(true);
    }

    // The new organization's role entry on the ledger, written by its own registration.
    await rest.refresh();
    const roles = await http<Envelope<{ mspId: string; role: string }[]>>(rest, 'GET', '/roles', {
      clientId: 'publisher3-operations',
    });
    expect(roles.status, roles.text).to.equal(200);
    expect(roles.body.data).to.deep.include({ mspId: NEW_MSP, role: 'PUBLISHER' });
    const profile = loadProfile(runDir);
    expect(profile.organizations.map((o) => o.mspId)).to.include(NEW_MSP);
    const conn = connectAs(profile, NEW_MSP);
    try {
      const events = await conn.network.getChaincodeEvents(profile.chaincode, { startBlock: 0n });
      let registration: { transactionId: string; blockNumber: bigint } | undefined;
      try {
        for await (const event of events) {
          if (event.eventName !== 'RolesUpdated') continue;
          const payload = JSON.parse(Buffer.from(event.payload).toString('utf8')) as { mspIds: string[] };
          if (payload.mspIds.includes(NEW_MSP)) {
            expect(payload.mspIds, 'it registered itself alone').to.deep.equal([NEW_MSP]);
            registration = { transactionId: event.transactionId, blockNumber: event.blockNumber };
            break;
          }
        }
      } finally {
        events.close();
      }
      if (registration === undefined) throw new Error(`no RolesUpdated event registers ${NEW_MSP}`);
      const block = await conn.network
        .getContract('qscc')
        .evaluateTransaction('GetBlockByNumber', profile.channel, registration.blockNumber.toString());
      expect(
        creatorOf(block, registration.transactionId),
        'the registration was signed by the new organization',
      ).to.equal(NEW_MSP);
    } finally {
      conn.close();
    }
  });

  it('runs a campaign with the new publisher from proposal through reports, reconciliation and invoice to payment, over its own REST gateway', async () => {
    if (gateway === undefined) throw new Error('no gateway');
    const rest = gateway;
    expect(rest.of(NEW_MSP).url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const profile = loadProfile(runDir);
    const terms = campaignTerms(profile);
    terms.lineItems[0]!.publisher = NEW_MSP;
    const { campaignId } = terms;
    const proposed = await http(rest, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms });
    expect(proposed.status, proposed.text).to.equal(201);
    // Right after the join, another organization's peer may not yet have learned through gossip that the new peer
    // runs the chaincode: its gateway then answers 503 with Retry-After, and a client sends the request again.
    for (const clientId of ['agency-operations', 'publisher3-operations']) {
      const accepted = await servedWithin(60_000, () =>
        http(rest, 'POST', `/campaigns/${campaignId}/acceptances`, { clientId, body: { version: 1 } }),
      );
      expect(accepted.status, `${clientId}: ${accepted.text}`).to.equal(200);
    }
    const campaign = await http<Envelope<{ status: string }>>(rest, 'GET', `/campaigns/${campaignId}`, {
      clientId: 'publisher3-operations',
    });
    expect(campaign.status, campaign.text).to.equal(200);
    expect(campaign.body.data.status).to.equal('ACTIVE');

    for (const [clientId, impressions] of [
      ['publisher3-operations', 50_000],
      ['agency-operations', 49_000],
    ] as const) {
      const body = {
        reportId: uniqueId('r'),
        campaignId,
        lineItemId: 'li-1',
        ...marchDay(1),
        impressions,
        invalidImpressions: 0,
      };
      const res = await servedWithin(60_000, () => http(rest, 'POST', '/delivery-reports', { clientId, body }));
      expect(res.status, `${clientId}: ${res.text}`).to.equal(201);
    }
    const day = encodeURIComponent(marchDay(1).periodStart);
    const reconciliation = await http<Envelope<{ status: string }>>(
      rest,
      'GET',
      `/reconciliations/${campaignId}/li-1/${day}`,
      { clientId: 'publisher3-finance' },
    );
    expect(reconciliation.status, reconciliation.text).to.equal(200);
    expect(reconciliation.body.data.status).to.equal('WITHIN_TOLERANCE');

    const invoiceId = uniqueId('inv');
    const invoice = await http<Envelope<{ amountMicros: number }>>(rest, 'POST', '/invoices', {
      clientId: 'publisher3-finance',
      body: { invoiceId, campaignId, lineItemId: 'li-1', periodStart: '2026-03-01', periodEnd: '2026-03-31' },
    });
    expect(invoice.status, invoice.text).to.equal(201);
    // The third-party count within tolerance bills: 49,000 impressions at a CPM of 2.50 = 122.50.
    expect(invoice.body.data.amountMicros).to.equal(122_500_000);
    const payment = await http<Envelope<{ invoice: { status: string } }>>(rest, 'POST', '/payments', {
      clientId: 'advertiser-finance',
      body: { paymentId: uniqueId('pay'), invoiceId, amountMicros: 122_500_000, reference: 'wire 5' },
    });
    expect(payment.status, payment.text).to.equal(201);
    expect(payment.body.data.invoice.status).to.equal('PAID');
    const seenByPublisher3 = await http<Envelope<{ status: string }>>(rest, 'GET', `/invoices/${invoiceId}`, {
      clientId: 'publisher3-finance',
    });
    expect(seenByPublisher3.status, seenByPublisher3.text).to.equal(200);
    expect(seenByPublisher3.body.data.status).to.equal('PAID');
    const otherPublisher = await http(rest, 'GET', `/invoices/${invoiceId}`, { clientId: 'publisher-finance' });
    expect(otherPublisher.status, 'a publisher that is no party cannot read the invoice').to.be.oneOf([403, 404]);
    // Its gateway's event stream delivers the campaign's events; the first publisher's, no party, does not.
    expect(await replayedEvents(rest, 'publisher3-operations')).to.include(campaignId);
    expect(await replayedEvents(rest, 'publisher-operations')).to.not.include(campaignId);
  });

  it('keeps the organization across down and up, every peer of the five agreeing (npm run audit); down --clean forgets it', async () => {
    await runScript('network-down.sh', [], isolated());
    const up = await runScript('network-up.sh', [], isolated());
    expect(up).to.include('gossip converged: every peer knows the other 4');
    const status = await runScript('network-status.sh', [], isolated());
    expect(status).to.match(/peer0\.publisher3\s+running/);
    expect(status).to.match(/chaincode-publisher3\s+running/);
    const audit = await new Promise<ScriptResult>((resolve) => {
      execFile(
        process.execPath,
        [path.join(repoRoot, 'gateway', 'dist', 'src', 'cli', 'audit-ledger.js')],
        {
          env: { ...process.env, ADRECON_NETWORK_PROFILE: path.join(runDir, 'network-profile.json') },
          timeout: 120_000,
        },
        (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
        },
      );
    });
    expect(audit.code, audit.output).to.equal(0);
    expect(audit.output).to.match(/^all 5 peers agree up to block \d+$/m);
    await runScript('network-down.sh', ['--clean'], isolated());
    expect(fs.existsSync(path.join(runDir, 'added-organizations.json'))).to.equal(false);
    const repeated = await networkCommand(['add-org', NEW_ORG, 'PUBLISHER', '--no-gateway'], isolated());
    expect(repeated.code, 'add-org refuses a network that is not running').to.equal(1);
    expect(repeated.output).to.include('npm run network:up');
  });
});
