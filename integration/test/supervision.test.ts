import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { campaignTerms } from './support/campaign-fixtures';
import { submitCommitted } from './support/commits';
import { connectAs, eventually } from './support/fabric-connection';
import { runScript, signalRecorded } from './support/network-scripts';
import { loadProfile, mspOf, runDir } from './support/network-profile';

interface PidRecord {
  pid: number;
  restarts?: number;
}

function record(name: string): PidRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(runDir, 'pids', `${name}.json`), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => fs.existsSync(`/proc/${String(pid)}`);

/** Waits until the supervisor has started `name` again under a new PID; resolves with that record. */
async function awaitRestart(name: string, oldPid: number, timeoutMs = 30_000): Promise<PidRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = record(name);
    if (now !== undefined && now.pid !== oldPid && alive(now.pid)) return now;
    if (Date.now() > deadline) throw new Error(`${name} was not restarted within ${String(timeoutMs)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('supervision: a node of ours that dies is restarted by the supervisor (issue 12 item 2)', function () {
  this.timeout(180_000);
  const profile = loadProfile();
  const advertiser = connectAs(profile, mspOf(profile, 'ADVERTISER'));
  const publisherMsp = mspOf(profile, 'PUBLISHER');
  const publisher = connectAs(profile, publisherMsp);

  after(() => {
    advertiser.close();
    publisher.close();
  });

  /** A campaign proposal needs the publisher's peer and chaincode server to endorse: full service for it. */
  const proposeCampaign = () =>
    submitCommitted(advertiser, 'campaigns:Propose', JSON.stringify(campaignTerms(profile)));

  for (const name of ['chaincode-publisher', 'peer0.publisher']) {
    it(`restarts ${name} after kill -9, counts the restart, and the publisher's writes work again`, async () => {
      const before = record(name);
      if (before === undefined) throw new Error(`no PID record for ${name}`);
      const killedAt = Date.now();
      signalRecorded(name, 'SIGKILL');
      const after = await awaitRestart(name, before.pid);
      const restartedMs = Date.now() - killedAt;
      expect(after.restarts).to.equal((before.restarts ?? 0) + 1);
      await eventually(proposeCampaign, 60_000);
      const servedMs = Date.now() - killedAt;
      console.log(
        `      ${name}: restarted ${String(restartedMs)} ms after kill -9; writes endorsed by it again after ${String(servedMs)} ms`,
      );
      const status = await runScript('network-status.sh');
      expect(status).to.match(
        new RegExp(
          `${name.replace('.', '\\.')}\\s+running pid ${String(after.pid)}.*restarted ${String(after.restarts)}×`,
        ),
      );
      expect(status).to.match(/supervisor\s+running pid \d+/);
    });
  }

  it('leaves a node that a test holds down alone until network-up.sh starts it', async () => {
    const name = 'chaincode-publisher';
    const before = record(name);
    if (before === undefined) throw new Error(`no PID record for ${name}`);
    fs.writeFileSync(path.join(runDir, 'pids', `${name}.hold`), 'held by a test\n');
    signalRecorded(name, 'SIGKILL');
    // Three supervision passes or more: it must not come back while held.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(record(name)?.pid).to.equal(before.pid);
    expect(alive(before.pid)).to.equal(false);
    await runScript('network-up.sh');
    const after = record(name);
    expect(after?.pid).to.not.equal(before.pid);
    expect(alive(after?.pid ?? 0)).to.equal(true);
    expect(fs.existsSync(path.join(runDir, 'pids', `${name}.hold`))).to.equal(false);
    await eventually(proposeCampaign, 60_000);
  });
});
