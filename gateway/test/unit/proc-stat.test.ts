import { expect } from 'chai';
import { procStat } from '../../src/proc-stat';

describe('procStat: a Linux process from /proc/<pid>/stat', () => {
  it('reads this process: running or sleeping, started before now and after the machine booted, some CPU used', () => {
    const stat = procStat(process.pid);
    expect(stat?.state).to.be.oneOf(['R', 'S']);
    expect(stat?.startTicks).to.match(/^\d+$/);
    const startedAtMs = stat?.startedAtMs ?? Number.NaN;
    // /proc counts start times in ticks of 10 ms since boot: the start is known to within that.
    expect(startedAtMs)
      .to.be.at.most(Date.now())
      .and.at.least(Date.now() - process.uptime() * 1000 - 1_000);
    expect(stat?.cpuMs).to.be.above(0);
  });

  it('answers undefined for a PID no process has', () => {
    expect(procStat(2 ** 31 - 1)).to.equal(undefined);
  });
});
