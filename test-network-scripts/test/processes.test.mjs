/* global describe, it */
// Unit tests of isRunning, which the health checks and the supervisor use to tell whether a recorded node still runs.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import { isRunning } from '../lib/processes.mjs';

/** A record of `pid` as `startProcess` writes it (only the fields `isRunning` reads matter). */
const recordOf = (pid, command) => ({ name: 'test', pid, command, args: [], startedAt: '', log: '', env: {} });

describe('isRunning: the recorded PID still runs the recorded program', () => {
  it('finds a running process by its program, and not under another program', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await once(child, 'spawn');
      expect(isRunning(recordOf(child.pid, '/usr/bin/sleep'))).to.equal(true);
      expect(isRunning(recordOf(child.pid, '/work/.fabric/bin/orderer')), 'a reused PID').to.equal(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('counts a zombie (exited, not reaped, an empty command line like a process in exec) as not running', async () => {
    // sh starts a child that exits after 0.3 s, prints its PID, then becomes `sleep`, which never reaps it (a child that exited at once could be reaped by sh before its exec).
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number((await once(parent.stdout, 'data')).toString().trim());
      for (let i = 0; i < 150 && !fs.readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z '); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(fs.readFileSync(`/proc/${zombie}/cmdline`, 'utf8')).to.equal('');
      expect(isRunning(recordOf(zombie, 'sleep'))).to.equal(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('counts a PID with no process as not running', () => {
    expect(isRunning(recordOf(2 ** 22 + 1, 'sleep'))).to.equal(false);
  });
});
