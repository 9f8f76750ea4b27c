import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { uniqueId } from './support/campaign-fixtures';
import { loadProfile, mspOf, repoRoot, secondPublisherOf } from './support/network-profile';
import { restGatewayForSuite } from './support/suite-rest-gateway';

/** The shell block of the README's "main flow with curl" section, exactly as a reader copies it. */
function readmeWalkthrough(): string {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The main flow with curl'));
  const match = /```sh\n([\s\S]*?)\n```/.exec(section);
  if (!match?.[1]) throw new Error('README.md has no shell block in "The main flow with curl"');
  return match[1];
}

function runBash(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { cwd: repoRoot, env, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`the walk-through failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

describe('the README walk-through, through each organization’s own gateway', function () {
  this.timeout(180_000);
  const profile = loadProfile();
  const gateway = restGatewayForSuite();

  it('proposes, accepts, reports, reconciles, invoices and pays; the competing publisher sees nothing', async () => {
    // The ledger outlives test runs: the README's fixed identifiers become fresh ones, nothing else changes.
    let script = readmeWalkthrough();
    for (const id of ['spring-2026', 'inv-2026-03', 'pay-1', 'pub-0301', 'agy-0301']) {
      script = script.replaceAll(id, uniqueId(id));
    }
    const output = await runBash(script, {
      ...process.env,
      ADVERTISER_API: gateway.of(mspOf(profile, 'ADVERTISER')).url,
      PUBLISHER_API: gateway.of(mspOf(profile, 'PUBLISHER')).url,
      AGENCY_API: gateway.of(mspOf(profile, 'AGENCY')).url,
      PUBLISHER2_API: gateway.of(secondPublisherOf(profile)).url,
      KEYS: gateway.stateRoot,
    });
    const lines = output.trim().split('\n');
    const json = (line: string | undefined): Record<string, unknown> =>
      JSON.parse(line ?? '{}') as Record<string, unknown>;
    const data = (line: string | undefined) => json(line).data as Record<string, unknown> | undefined;

    expect(data(lines[0])?.status, `proposal: ${lines[0] ?? ''}`).to.equal('PROPOSED');
    expect(data(lines[2])?.status, `second acceptance: ${lines[2] ?? ''}`).to.equal('ACTIVE');
    const blocks = lines.slice(0, 5).map((line) => BigInt(String(json(line).block)));
    expect(
      [...blocks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      'each write after the one before',
    ).to.deep.equal(blocks);
    const csvHeader = lines.find((line) => line.startsWith('campaignId,'));
    expect(csvHeader, output).to.be.a('string');
    const invoice = data(lines.find((line) => line.includes('"invoiceId"') && line.includes('"amountMicros"')));
    expect(invoice?.amountMicros, output).to.equal(122_250_000);
    const payment = lines.find((line) => line.includes('"paymentId"'));
    expect((data(payment)?.invoice as { status?: string } | undefined)?.status, output).to.equal('PAID');

    const [competitor, foreignKey] = lines.slice(-2).map((line) => json(line).error as { code: string } | undefined);
    expect(competitor?.code, 'the other publisher is not a party').to.be.oneOf(['FORBIDDEN', 'CAMPAIGN_NOT_FOUND']);
    expect(foreignKey?.code, 'the publisher’s key is unknown to the other publisher’s API').to.equal('UNAUTHENTICATED');
  });
});
