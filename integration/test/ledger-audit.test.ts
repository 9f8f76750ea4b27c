import { connectPeerLedger, loadNetworkProfile } from '@adrecon/gateway';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProfile, repoRoot } from './support/network-profile';
import { runScript, runScriptResult, stopRecorded, type ScriptResult } from './support/network-scripts';
import { isolatedBasePort, isolatedEnv } from './support/isolated-network';

/** Runs the audit as `npm run audit` does (without its build step), on the network whose profile is given. */
function audit(profile?: string): Promise<ScriptResult> {
  const cli = path.join(repoRoot, 'gateway', 'dist', 'src', 'cli', 'audit-ledger.js');
  const env = profile === undefined ? process.env : { ...process.env, ADRECON_NETWORK_PROFILE: profile };
  return new Promise((resolve) => {
    execFile('node', [cli], { env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

describe('ledger audit across organizations', function () {
  this.timeout(300_000);
  /** Every peer of the network (the isolated one below is made from the same network.json). */
  const peers = loadProfile().organizations.flatMap((org) => org.peers).length;

  it('reports that every peer of the running network agrees (npm run audit)', async () => {
    const result = await new Promise<ScriptResult>((resolve) => {
      execFile('npm', ['run', '--silent', 'audit'], { cwd: repoRoot, timeout: 120_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
      });
    });
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.match(new RegExp(`^all ${String(peers)} peers agree up to block \\d+$`, 'm'));
  });

  /** A network of its own (run folder and ports), so the shared one is never tampered with. */
  describe('on a network whose publisher peer has a tampered block file', () => {
    let runDir = '';
    const basePort = isolatedBasePort('ledgerAudit');
    const isolated = () => isolatedEnv(runDir, basePort);

    before(async () => {
      runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-audit-'));
      await runScript('network-up.sh', [], isolated());
      await runScript('deploy-chaincode.sh', [], isolated());
    });
    after(async () => {
      await runScriptResult('network-down.sh', [], isolated());
      fs.rmSync(runDir, { recursive: true, force: true });
    });

    it('agrees before, then names the publisher peer and the block after one byte of a transaction changed', async () => {
      const profileFile = path.join(runDir, 'network-profile.json');
      const before = await audit(profileFile);
      expect(before.code, before.output).to.equal(0);
      const agreed = new RegExp(`^all ${String(peers)} peers agree up to block (\\d+)$`, 'm').exec(before.output);
      expect(agreed, before.output).to.not.be.null;
      const last = BigInt(agreed?.[1] ?? '0');

      // The envelope of the last block's first transaction, as the publisher's peer stores it.
      const profile = loadNetworkProfile(profileFile);
      const publisher = profile.organizations.find((org) => org.role === 'PUBLISHER');
      const peer = publisher?.peers[0];
      if (publisher === undefined || peer === undefined) throw new Error('no publisher peer in the profile');
      const ledger = connectPeerLedger({ channel: profile.channel, organization: publisher, peer, timeoutMs: 10_000 });
      const envelope = await ledger.block(last).finally(() => {
        ledger.close();
      });
      const transaction = envelope.data[0];
      if (transaction === undefined) throw new Error(`block ${String(last)} holds no transaction`);

      await stopRecorded('peer0.publisher', runDir);
      const blockFile = path.join(
        runDir,
        'data',
        'peer0.publisher',
        'production',
        'ledgersData',
        'chains',
        'chains',
        profile.channel,
        'blockfile_000000',
      );
      const bytes = fs.readFileSync(blockFile);
      const at = bytes.indexOf(Buffer.from(transaction));
      expect(at, 'the transaction is in the block file').to.be.greaterThan(0);
      expect(bytes.indexOf(Buffer.from(transaction), at + 1), 'and only once').to.equal(-1);
      // The envelope's last byte: the end of the client's signature, so the file still parses as blocks.
      const offset = at + transaction.length - 1;
      bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
      fs.writeFileSync(blockFile, bytes);
      await runScript('network-up.sh', [], isolated());

      const afterTamper = await audit(profileFile);
      expect(afterTamper.code, afterTamper.output).to.equal(1);
      const named = `${peer.hostAlias} (${publisher.mspId}) differs at block ${String(last)}: data-hash:`;
      expect(afterTamper.output).to.include(named);
      expect(afterTamper.output).to.match(
        new RegExp(
          `transaction 0 \\(tx [0-9a-f]{64}\\) differs from the copy held by ${String(peers - 1)} other peers`,
        ),
      );
      expect(afterTamper.output).to.include(`all ${String(peers)} peers agree up to block ${String(last - 1n)}`);
      // Only the tampered peer is named.
      expect(afterTamper.output.match(/ differs at block /g)).to.have.length(1);
      process.stdout.write(
        `      audit before:\n${before.output.trim()}\n      audit after:\n${afterTamper.output.trim()}\n`,
      );
    });
  });
});
