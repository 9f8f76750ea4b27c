import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { campaignTerms, marchDay, uniqueId } from './support/campaign-fixtures';
import { csvRecords } from './support/csv';
import { connectAs, evaluateJson, type OrgConnection } from './support/fabric-connection';
import { loadProfile, mspOf, repoRoot } from './support/network-profile';
import { errorText, rejection } from './support/rejections';
import { http, type RestGateway, startRestGateway } from './support/rest-gateway';

interface EnrolledUser {
  mspId: string;
  enrollmentId: string;
  certPath: string;
  keyPath: string;
}
interface Actor {
  mspId: string;
  enrollmentId: string;
}
interface Envelope<T> {
  data: T;
}

/** Runs a command line and resolves with its standard output. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: repoRoot, env, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Registers and enrolls a user at its organization's own CA, with a role or none. */
async function enrollUser(mspId: string, role?: string): Promise<EnrolledUser> {
  const id = uniqueId(role ?? 'norole');
  const out = await run(process.execPath, [
    'test-network-scripts/fabric-network.mjs',
    'user-add',
    mspId,
    id,
    ...(role === undefined ? [] : [role]),
  ]);
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as EnrolledUser;
}

describe('users from each organization’s Fabric CA, with roles the chaincode enforces, on the real network', function () {
  this.timeout(300_000);
  const profile = loadProfile();
  const advertiser = mspOf(profile, 'ADVERTISER');
  const agency = mspOf(profile, 'AGENCY');
  const publisher = mspOf(profile, 'PUBLISHER');
  const connections: OrgConnection[] = [];
  const connect = (user: EnrolledUser): OrgConnection => {
    const conn = connectAs(profile, user.mspId, 0, user);
    connections.push(conn);
    return conn;
  };
  after(() => {
    for (const conn of connections) conn.close();
  });

  it('refuses in the chaincode a finance user’s proposal, an operations user’s invoice and any write without a role; reads stay open', async () => {
    const [finance, operations, noRole] = await Promise.all([
      enrollUser(advertiser, 'finance'),
      enrollUser(publisher, 'operations'),
      enrollUser(advertiser),
    ]);
    const terms = JSON.stringify(campaignTerms(profile));
    const proposal = await rejection(() => connect(finance).contract.submitTransaction('campaigns:Propose', terms));
    expect(proposal).to.include(
      `FORBIDDEN: user ${finance.enrollmentId} of ${advertiser} has role finance; campaigns:Propose needs campaigns:write`,
    );
    const invoice = await rejection(() =>
      connect(operations).contract.submitTransaction(
        'billing:IssueInvoice',
        JSON.stringify({
          invoiceId: uniqueId('inv'),
          campaignId: uniqueId('cmp'),
          lineItemId: 'li-1',
          periodStart: '2026-03-01',
          periodEnd: '2026-03-31',
        }),
      ),
    );
    expect(invoice).to.include(`user ${operations.enrollmentId} of ${publisher} has role operations`);
    const reader = connect(noRole);
    const write = await rejection(() => reader.contract.submitTransaction('campaigns:Propose', terms));
    expect(write).to.include(`FORBIDDEN: user ${noRole.enrollmentId} of ${advertiser} has no adrecon.role attribute`);
    const roles = await evaluateJson<{ mspId: string }[]>(reader, 'roles:ListRoles');
    expect(roles.map((r) => r.mspId)).to.include(advertiser);
  });

  describe('through the REST API, each organization’s gateway signing as the user', () => {
    let gateway: RestGateway;
    before(async () => {
      gateway = await startRestGateway();
    });
    after(async () => {
      await gateway.stop();
    });

    it('names the enrolled user of the proposal, acceptances, reports, invoice and payment, in answers, history and CSV', async () => {
      const terms = campaignTerms(profile);
      const { campaignId } = terms;
      const post = async <T>(clientId: string, path: string, body: unknown): Promise<T> => {
        const res = await http<Envelope<T>>(gateway, 'POST', path, { clientId, body });
        expect(res.status, `${clientId} POST ${path}: ${res.text}`).to.be.oneOf([200, 201]);
        return res.body.data;
      };
      const by = (mspId: string, enrollmentId: string): Actor => ({ mspId, enrollmentId });

      const proposed = await post<{ proposer: Actor; acceptances: { mspId: string; acceptedBy: Actor }[] }>(
        'advertiser-operations',
        '/campaigns',
        terms,
      );
      expect(proposed.proposer).to.deep.equal(by(advertiser, 'advertiser-operations'));
      await post('agency-operations', `/campaigns/${campaignId}/acceptances`, { version: 1 });
      const active = await post<{ acceptances: { mspId: string; acceptedBy: Actor }[] }>(
        'publisher-operations',
        `/campaigns/${campaignId}/acceptances`,
        { version: 1 },
      );
      expect(Object.fromEntries(active.acceptances.map((a) => [a.mspId, a.acceptedBy]))).to.deep.equal({
        [advertiser]: by(advertiser, 'advertiser-operations'),
        [agency]: by(agency, 'agency-operations'),
        [publisher]: by(publisher, 'publisher-operations'),
      });

      const reportOf = (reportId: string) => ({ reportId, campaignId, lineItemId: 'li-1', ...marchDay(1) });
      const firstParty = await post<{ report: { reportedBy: Actor } }>('publisher-operations', '/delivery-reports', {
        ...reportOf(uniqueId('pub')),
        impressions: 50_000,
        invalidImpressions: 0,
      });
      expect(firstParty.report.reportedBy).to.deep.equal(by(publisher, 'publisher-operations'));
      const thirdParty = await post<{ report: { reportedBy: Actor } }>('agency-operations', '/delivery-reports', {
        ...reportOf(uniqueId('agy')),
        impressions: 49_900,
        invalidImpressions: 0,
      });
      expect(thirdParty.report.reportedBy).to.deep.equal(by(agency, 'agency-operations'));

      const invoiceId = uniqueId('inv');
      const invoice = await post<{ issuedBy: Actor }>('publisher-finance', '/invoices', {
        invoiceId,
        campaignId,
        lineItemId: 'li-1',
        periodStart: '2026-03-01',
        periodEnd: '2026-03-31',
      });
      expect(invoice.issuedBy).to.deep.equal(by(publisher, 'publisher-finance'));
      const paid = await post<{ payment: { recordedBy: Actor } }>('advertiser-finance', '/payments', {
        paymentId: uniqueId('pay'),
        invoiceId,
        amountMicros: 1,
        reference: 'identity test',
      });
      expect(paid.payment.recordedBy).to.deep.equal(by(advertiser, 'advertiser-finance'));

      const history = await http<Envelope<{ value: { acceptances: { acceptedBy?: Actor }[] } | null }[]>>(
        gateway,
        'GET',
        `/campaigns/${campaignId}/history`,
        { clientId: 'agency-finance' },
      );
      expect(history.status, history.text).to.equal(200);
      const accepters = history.body.data.flatMap((h) => h.value?.acceptances.map((a) => a.acceptedBy?.enrollmentId));
      expect(accepters).to.include.members(['advertiser-operations', 'agency-operations', 'publisher-operations']);
      const invoiceHistory = await http<Envelope<{ value: { issuedBy?: Actor } | null }[]>>(
        gateway,
        'GET',
        `/invoices/${invoiceId}/history`,
        { clientId: 'publisher-finance' },
      );
      expect(invoiceHistory.body.data.map((h) => h.value?.issuedBy?.enrollmentId)).to.include('publisher-finance');

      const csv = await http(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId}&format=csv`, {
        clientId: 'agency-finance',
      });
      expect(csv.status, csv.text).to.equal(200);
      const [first] = csvRecords(csv.text);
      expect(Object.keys(first ?? {}), 'the audit columns').to.include.members([
        'resolutionProposedBy',
        'resolutionAcceptedBy',
        'invoicedBy',
      ]);
      expect(first?.invoicedBy, csv.text).to.equal(`publisher-finance@${publisher}`);
    });

    it('enrolls a new user with the gateway’s add-user CLI: its key works at once and its writes name it', async () => {
      const g = gateway.of(advertiser);
      const id = uniqueId('adv-ops');
      const out = await run(process.execPath, ['gateway/dist/src/cli/add-user.js', id, 'operations'], {
        ...process.env,
        ADRECON_GATEWAY_PROFILE: g.profile,
        ADRECON_API_KEYS_FILE: g.apiKeysFile,
        ADRECON_STATE_DIR: `${g.apiKeysFile}.state`,
        ADRECON_FABRIC_CA_CLIENT: `${repoRoot}/.fabric/bin/fabric-ca-client`,
      });
      const { apiKey } = JSON.parse(out.trim()) as { apiKey: string };
      const res = await fetch(`${g.url}/campaigns`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(campaignTerms(profile)),
      });
      const body = (await res.json()) as Envelope<{ proposer: Actor }>;
      expect(res.status, JSON.stringify(body)).to.equal(201);
      expect(body.data.proposer).to.deep.equal({ mspId: advertiser, enrollmentId: id });
    });
  });

  it('invalidates a revoked user’s submissions once the CRL is on the channel; another user of the organization keeps working', async () => {
    const [leaver, colleague] = await Promise.all([
      enrollUser(advertiser, 'operations'),
      enrollUser(advertiser, 'operations'),
    ]);
    const leaverConnection = connect(leaver);
    const before = campaignTerms(profile);
    await leaverConnection.contract.submitTransaction('campaigns:Propose', JSON.stringify(before));
    await run(process.execPath, [
      'test-network-scripts/fabric-network.mjs',
      'user-revoke',
      advertiser,
      leaver.enrollmentId,
    ]);
    // The configuration block reaches every peer within moments; until then the leaver may still be endorsed.
    const deadline = Date.now() + 30_000;
    let refusal: string | undefined;
    while (refusal === undefined) {
      const terms = JSON.stringify(campaignTerms(profile));
      try {
        await leaverConnection.contract.submitTransaction('campaigns:Propose', terms);
      } catch (err) {
        refusal = errorText(err);
        continue;
      }
      if (Date.now() > deadline) throw new Error('the revoked user could still submit 30 s after the update');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(refusal, 'the peers refuse the revoked certificate').to.match(/\S/);
    const colleagueConnection = connect(colleague);
    await colleagueConnection.contract.submitTransaction('campaigns:Propose', JSON.stringify(campaignTerms(profile)));
    const kept = await evaluateJson<{ proposer: Actor }>(colleagueConnection, 'campaigns:Get', before.campaignId);
    expect(kept.proposer, 'what the leaver wrote stays').to.deep.equal({
      mspId: advertiser,
      enrollmentId: leaver.enrollmentId,
    });
  });
});
