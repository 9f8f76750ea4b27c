import { expect } from 'chai';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { marchDay, twoPublisherTerms, uniqueId } from './support/campaign-fixtures';
import { loadProfile, mspOf, repoRoot, runDir, secondPublisherOf } from './support/network-profile';
import { http } from './support/rest-gateway';
import { restGatewayForSuite } from './support/suite-rest-gateway';

interface Envelope<T> {
  data: T;
  transactionId?: string;
  block?: string;
}
interface ErrorBody {
  error: { code: string; message: string };
}

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** The DER of every PEM private key in a file (none when the file holds none). */
function privateKeysIn(file: string): string[] {
  const text = fs.readFileSync(file, 'latin1');
  const pems = text.match(/-----BEGIN (?:EC |RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:EC |RSA )?PRIVATE KEY-----/g);
  return (pems ?? []).map((pem) =>
    crypto.createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  );
}

/** The NUL-separated environment of a running process, as a map. */
function environmentOf(pid: number): Map<string, string> {
  const entries = fs
    .readFileSync(`/proc/${String(pid)}/environ`, 'utf8')
    .split('\0')
    .filter((kv) => kv.includes('='))
    .map((kv): [string, string] => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]);
  return new Map(entries);
}

/** Runs the gateway's main with an environment; resolves with its exit code and output once it exits. */
function runGatewayMain(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'gateway', 'dist', 'src', 'main.js')], {
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the gateway did not exit within ${String(timeoutMs)} ms; it started:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('one REST gateway per organization, on the real network', function () {
  this.timeout(180_000);
  const profile = loadProfile();
  const gateway = restGatewayForSuite();

  it('runs one process per organization, each with only its own identity: no other organization’s private key in its files', () => {
    expect(gateway.gateways.map((g) => g.mspId)).to.deep.equal(profile.organizations.map((o) => o.mspId));
    expect(new Set(gateway.gateways.map((g) => g.pid)).size, 'one process each').to.equal(profile.organizations.length);
    const cryptoRoot = path.join(runDir, 'crypto', 'peerOrganizations');
    const keysOf = (mspId: string): Set<string> => {
      const org = profile.organizations.find((o) => o.mspId === mspId);
      if (!org) throw new Error(`no ${mspId}`);
      // The organization's crypto folder: every key its CA issued to the network's nodes, admin and users.
      const orgDir = path.resolve(org.identity.keyPath, '../../../../..');
      expect(path.dirname(orgDir)).to.equal(cryptoRoot);
      return new Set(filesUnder(orgDir).flatMap(privateKeysIn));
    };
    for (const g of gateway.gateways) {
      const bundle = path.dirname(g.profile);
      const env = environmentOf(g.pid);
      expect(env.get('ADRECON_GATEWAY_PROFILE'), `${g.mspId}'s process reads its own bundle`).to.equal(g.profile);
      expect(env.get('ADRECON_ORGANIZATION')).to.equal(g.mspId);
      const profileText = fs.readFileSync(g.profile, 'utf8');
      const parsed = JSON.parse(profileText) as { organization: { mspId: string }; organizations?: unknown };
      expect(parsed.organization.mspId).to.equal(g.mspId);
      expect(parsed.organizations, 'no list of organizations with identities').to.equal(undefined);
      expect(profileText, 'every path is inside the bundle').to.not.match(/"\//);

      // The bundle: the organization's client identity and its CA registrar, both issued by its own CA.
      const bundleKeys = filesUnder(bundle).flatMap(privateKeysIn);
      expect(bundleKeys, `${g.mspId}'s bundle holds its identity and its registrar`).to.have.length(2);
      for (const key of bundleKeys) expect(keysOf(g.mspId).has(key), 'its own').to.be.true;
      // Its users: each one's own key and a certificate its organization's CA issued for that key.
      const ownCa = new crypto.X509Certificate(fs.readFileSync(path.join(bundle, 'ca', 'ca.crt')));
      const usersDir = path.join(path.dirname(g.apiKeysFile), 'users');
      const userKeys: string[] = [];
      for (const user of fs.readdirSync(usersDir)) {
        const cert = new crypto.X509Certificate(fs.readFileSync(path.join(usersDir, user, 'cert.pem')));
        const key = crypto.createPrivateKey(fs.readFileSync(path.join(usersDir, user, 'key.pem')));
        expect(cert.verify(ownCa.publicKey), `${user}'s certificate is issued by ${g.mspId}'s CA`).to.be.true;
        expect(cert.checkPrivateKey(key), `${user}'s key is its certificate's`).to.be.true;
        userKeys.push(...privateKeysIn(path.join(usersDir, user, 'key.pem')));
      }
      expect(userKeys, 'one operations and one finance user').to.have.length(2);
      const held = [...bundleKeys, ...filesUnder(path.dirname(g.apiKeysFile)).flatMap(privateKeysIn)];
      for (const other of profile.organizations.filter((o) => o.mspId !== g.mspId)) {
        const foreign = keysOf(other.mspId);
        expect(
          held.some((k) => foreign.has(k)),
          `${g.mspId}'s gateway holds a key of ${other.mspId}`,
        ).to.be.false;
      }
      const keys = JSON.parse(fs.readFileSync(g.apiKeysFile, 'utf8')) as { keys: { mspId: string }[] };
      expect(new Set(keys.keys.map((k) => k.mspId))).to.deep.equal(new Set([g.mspId]));
    }
  });

  it('answers 401 to another organization’s API key, and 200 to its own', async () => {
    for (const g of gateway.gateways) {
      for (const credential of gateway.credentials) {
        const res = await fetch(`${g.url}/campaigns`, { headers: { authorization: `Bearer ${credential.key}` } });
        const expected = credential.mspId === g.mspId ? 200 : 401;
        expect(res.status, `${credential.clientId} at ${g.mspId}'s gateway`).to.equal(expected);
      }
    }
  });

  it('refuses to start with another organization’s API keys or identity', async () => {
    const publisher2 = gateway.of(secondPublisherOf(profile));
    const advertiser = gateway.of(mspOf(profile, 'ADVERTISER'));
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-foreign-'));
    try {
      const foreignKeys = await runGatewayMain({
        ADRECON_GATEWAY_PROFILE: publisher2.profile,
        ADRECON_API_KEYS_FILE: advertiser.apiKeysFile,
        ADRECON_STATE_DIR: scratch,
      });
      expect(foreignKeys.code).to.equal(1);
      expect(foreignKeys.output).to.match(/holds keys of other organizations than Publisher2MSP: advertiser-/);

      // Publisher2's bundle with the advertiser's certificate and key put in its place.
      const bundle = path.join(scratch, 'bundle');
      fs.cpSync(path.dirname(publisher2.profile), bundle, { recursive: true });
      const advertiserIdentity = path.join(path.dirname(advertiser.profile), 'identity');
      for (const file of ['cert.pem', 'key.pem']) {
        fs.copyFileSync(path.join(advertiserIdentity, file), path.join(bundle, 'identity', file));
      }
      const foreignIdentity = await runGatewayMain({
        ADRECON_GATEWAY_PROFILE: path.join(bundle, 'profile.json'),
        ADRECON_API_KEYS_FILE: publisher2.apiKeysFile,
        ADRECON_STATE_DIR: scratch,
      });
      expect(foreignIdentity.code).to.equal(1);
      expect(foreignIdentity.output).to.match(/was not issued by Publisher2MSP's CA/);

      const wrongOrganization = await runGatewayMain({
        ADRECON_GATEWAY_PROFILE: publisher2.profile,
        ADRECON_API_KEYS_FILE: publisher2.apiKeysFile,
        ADRECON_STATE_DIR: scratch,
        ADRECON_ORGANIZATION: 'PublisherMSP',
      });
      expect(wrongOrganization.code).to.equal(1);
      expect(wrongOrganization.output).to.match(/serves PublisherMSP .* but its gateway profile is Publisher2MSP's/);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('runs a two-publisher campaign through each organization’s own gateway, carrying the consistency token', async () => {
    const terms = twoPublisherTerms(profile);
    const { campaignId } = terms;
    const proposed = await http<Envelope<{ status: string }>>(gateway, 'POST', '/campaigns', {
      clientId: 'advertiser-operations',
      body: terms,
    });
    expect(proposed.status, proposed.text).to.equal(201);
    for (const clientId of ['agency-operations', 'publisher-operations', 'publisher2-operations']) {
      const accepted = await http(gateway, 'POST', `/campaigns/${campaignId}/acceptances`, {
        clientId,
        body: { version: 1 },
      });
      expect(accepted.status, `${clientId}: ${accepted.text}`).to.equal(200);
    }
    const report = (lineItemId: string, impressions: number) => ({
      reportId: uniqueId('r'),
      campaignId,
      lineItemId,
      ...marchDay(1),
      impressions,
      invalidImpressions: 0,
    });
    for (const [clientId, lineItemId, impressions] of [
      ['publisher-operations', 'li-1', 50_000],
      ['publisher2-operations', 'li-2', 20_000],
      ['agency-operations', 'li-1', 49_000],
      ['agency-operations', 'li-2', 19_500],
    ] as const) {
      const res = await http(gateway, 'POST', '/delivery-reports', { clientId, body: report(lineItemId, impressions) });
      expect(res.status, `${clientId} ${lineItemId}: ${res.text}`).to.equal(201);
    }
    const crossed = await http<ErrorBody>(gateway, 'POST', '/delivery-reports', {
      clientId: 'publisher2-operations',
      body: report('li-1', 1),
    });
    // Another publisher's line item answers as one that does not exist (issue 8 item 6: errors leak nothing).
    expect(crossed.status, 'a publisher reports only its own line item').to.equal(404);
    expect(crossed.body.error.code).to.equal('CAMPAIGN_NOT_FOUND');

    const lineItemsSeenBy = async (clientId: string) => {
      const res = await http<Envelope<{ lineItems: { lineItemId: string }[] }>>(
        gateway,
        'GET',
        `/campaigns/${campaignId}`,
        { clientId },
      );
      expect(res.status, res.text).to.equal(200);
      return res.body.data.lineItems.map((li) => li.lineItemId);
    };
    expect(await lineItemsSeenBy('agency-operations')).to.deep.equal(['li-1', 'li-2']);
    expect(await lineItemsSeenBy('publisher-operations')).to.deep.equal(['li-1']);
    expect(await lineItemsSeenBy('publisher2-operations')).to.deep.equal(['li-2']);

    const invoiceId = uniqueId('inv');
    const invoice = await http<Envelope<{ amountMicros: number }>>(gateway, 'POST', '/invoices', {
      clientId: 'publisher2-finance',
      body: { invoiceId, campaignId, lineItemId: 'li-2', periodStart: '2026-03-01', periodEnd: '2026-03-31' },
    });
    expect(invoice.status, invoice.text).to.equal(201);
    // Third-party count within tolerance bills: 19,500 impressions at a CPM of 3.10 = 60.45.
    expect(invoice.body.data.amountMicros).to.equal(60_450_000);
    const payment = await http<Envelope<{ invoice: { status: string } }>>(gateway, 'POST', '/payments', {
      clientId: 'advertiser-finance',
      body: { paymentId: uniqueId('pay'), invoiceId, amountMicros: 60_450_000, reference: 'wire 43' },
    });
    expect(payment.status, payment.text).to.equal(201);
    expect(payment.body.data.invoice.status).to.equal('PAID');
    const otherPublisherReads = await http<ErrorBody>(gateway, 'GET', `/invoices/${invoiceId}`, {
      clientId: 'publisher-finance',
    });
    expect(otherPublisherReads.status, 'the other publisher cannot read the invoice').to.be.oneOf([403, 404]);
  });
});
