import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openIdempotencyStore } from '../../../src/idempotency/idempotency-store';

describe('the idempotency store shared by the processes of one organization (a folder)', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-idem-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Two stores on one folder stand for two gateway processes: they share nothing but the folder.
  const open = (now: () => number = Date.now, maxEntries = 100) =>
    openIdempotencyStore({ directory: dir, ttlMs: 1_000, maxEntries, now });

  it('lets only one of two processes run a key; the other sees it in progress, then replays its answer', () => {
    const a = open();
    const b = open();
    expect(a.begin('client', 'k', 'h').kind).to.equal('new');
    expect(b.begin('client', 'k', 'h').kind).to.equal('in-progress');
    expect(b.begin('client', 'k', 'other').kind).to.equal('mismatch');
    a.complete('client', 'k', 'h', { status: 201, body: { data: 1 } });
    expect(b.begin('client', 'k', 'h')).to.deep.equal({ kind: 'replay', response: { status: 201, body: { data: 1 } } });
    expect(b.begin('client', 'k', 'other').kind).to.equal('mismatch');
    expect(b.begin('other-client', 'k', 'h').kind, 'keys are per client').to.equal('new');
  });

  it('frees an abandoned key for a retry, in any process', () => {
    const a = open();
    const b = open();
    expect(a.begin('c', 'k', 'h').kind).to.equal('new');
    b.abandon('c', 'k'); // not b's claim: nothing happens
    expect(b.begin('c', 'k', 'h').kind).to.equal('in-progress');
    a.abandon('c', 'k');
    expect(b.begin('c', 'k', 'h').kind).to.equal('new');
  });

  it('takes over the claim of a process that died before answering', () => {
    const file = fs.readdirSync(dir).length; // empty folder
    expect(file).to.equal(0);
    const a = open();
    expect(a.begin('c', 'k', 'h').kind).to.equal('new');
    const [claim] = fs.readdirSync(dir);
    const claimPath = path.join(dir, claim ?? '');
    // The claim of a process that no longer runs (PID 2^22 + 1 is above Linux's maximum).
    const entry = JSON.parse(fs.readFileSync(claimPath, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(claimPath, JSON.stringify({ ...entry, pid: 4_194_305 }));
    const b = open();
    expect(b.begin('c', 'k', 'h').kind).to.equal('new');
  });

  /** Rewrites the one claim in the folder as if another process (`pid`) had made it at `claimedAt`. */
  const claimAs = (pid: number, claimedAt: number) => {
    const [claim] = fs.readdirSync(dir);
    const claimPath = path.join(dir, claim ?? '');
    const entry = JSON.parse(fs.readFileSync(claimPath, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(claimPath, JSON.stringify({ ...entry, pid, claimedAt }));
  };

  it('takes over the claim of a process that exited but was not reaped (a zombie, which kill(pid, 0) still finds)', async () => {
    // sh starts a child that exits after 0.3 s, prints its PID, then becomes `sleep`, which never reaps it (a child that exited at once could be reaped by sh before its exec).
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number((await once(parent.stdout, 'data')).toString().trim());
      for (let i = 0; i < 150 && !fs.readFileSync(`/proc/${String(zombie)}/stat`, 'utf8').includes(') Z '); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(fs.readFileSync(`/proc/${String(zombie)}/stat`, 'utf8')).to.include(') Z ');
      expect(() => process.kill(zombie, 0), 'kill(pid, 0) finds the zombie').not.to.throw();
      const a = open();
      expect(a.begin('c', 'k', 'h').kind).to.equal('new');
      claimAs(zombie, Date.now());
      expect(open().begin('c', 'k', 'h').kind).to.equal('new');
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('takes over a claim whose PID now belongs to a process started after the claim (a reused PID)', async () => {
    const later = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await once(later, 'spawn');
      const a = open();
      expect(a.begin('c', 'k', 'h').kind).to.equal('new');
      claimAs(later.pid ?? 0, Date.now() - 60_000);
      expect(open().begin('c', 'k', 'h').kind, 'claimed a minute before its PID started').to.equal('new');
      claimAs(later.pid ?? 0, Date.now());
      expect(open().begin('c', 'k', 'h').kind, 'claimed by the running process itself').to.equal('in-progress');
    } finally {
      later.kill('SIGKILL');
    }
  });

  it('forgets answers past their time to live and keeps at most maxEntries', () => {
    let now = 10_000;
    const store = open(() => now, 2);
    for (const key of ['k1', 'k2', 'k3']) {
      expect(store.begin('c', key, 'h').kind).to.equal('new');
      store.complete('c', key, 'h', { status: 201, body: key });
      now += 10;
    }
    expect(open(() => now, 2).size, 'the oldest beyond the bound are swept on open').to.equal(2);
    now += 2_000;
    expect(store.begin('c', 'k3', 'h').kind, 'expired: runs again').to.equal('new');
  });

  it('keeps answers across a restart (a new store on the same folder)', () => {
    const a = open();
    expect(a.begin('c', 'k', 'h').kind).to.equal('new');
    a.complete('c', 'k', 'h', { status: 200, body: 'x' });
    a.close();
    expect(open().begin('c', 'k', 'h').kind).to.equal('replay');
  });
});
