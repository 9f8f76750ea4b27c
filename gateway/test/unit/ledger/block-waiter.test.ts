import { expect } from 'chai';
import { AppError } from '../../../src/errors';
import { newBlockWaiter, type HeightQuery } from '../../../src/ledger/block-waiter';

/** Peers whose heights a test moves; every query is recorded as `caller>target`. */
class FakePeers {
  readonly heights = new Map<string, bigint>();
  readonly unreachable = new Set<string>();
  readonly queries: string[] = [];
  /** Called before each answer, so a test can commit blocks while a wait is in progress. */
  onQuery: (target: string, count: number) => void = () => undefined;

  readonly query: HeightQuery = (caller, target) => {
    this.queries.push(`${caller}>${target}`);
    this.onQuery(target, this.queries.length);
    if (this.unreachable.has(target)) return Promise.reject(new Error(`${target} unreachable`));
    return Promise.resolve(this.heights.get(target) ?? 0n);
  };
}

const ORGS = ['AdvertiserMSP', 'PublisherMSP', 'AgencyMSP'];

function waiterFor(peers: FakePeers) {
  return newBlockWaiter({
    queryHeight: peers.query,
    organizations: () => ORGS,
    retryAfterSeconds: 4,
    firstPollMs: 1,
    maxPollMs: 2,
  });
}

describe('block waiter (read-your-writes)', () => {
  it('returns without a query when its own peer is known to have committed the block', async () => {
    const peers = new FakePeers();
    const waiter = waiterFor(peers);
    waiter.observed('PublisherMSP', 12n);
    await waiter.awaitBlock('PublisherMSP', 12n, { scope: 'organization', timeoutMs: 1_000 });
    expect(peers.queries).to.deep.equal([]);
  });

  it('polls its own peer until the block is committed there (height = last block + 1)', async () => {
    const peers = new FakePeers();
    peers.heights.set('PublisherMSP', 10n);
    peers.onQuery = (_target, count) => {
      if (count === 3) peers.heights.set('PublisherMSP', 13n);
    };
    await waiterFor(peers).awaitBlock('PublisherMSP', 12n, { scope: 'organization', timeoutMs: 5_000 });
    expect(peers.queries).to.deep.equal([
      'PublisherMSP>PublisherMSP',
      'PublisherMSP>PublisherMSP',
      'PublisherMSP>PublisherMSP',
    ]);
  });

  it('answers LEDGER_BEHIND (503, Retry-After) when the deadline passes first', async () => {
    const peers = new FakePeers();
    peers.heights.set('PublisherMSP', 12n);
    const err = (await waiterFor(peers)
      .awaitBlock('PublisherMSP', 12n, { scope: 'organization', timeoutMs: 30 })
      .catch((e: unknown) => e)) as AppError;
    expect(err).to.be.instanceOf(AppError);
    expect([err.code, err.status, err.retryAfterSeconds]).to.deep.equal(['LEDGER_BEHIND', 503, 4]);
    expect(err.message).to.contain('PublisherMSP').and.contain('12');
  });

  it('fails at once with the error of its own peer when that peer cannot answer (it must answer the call)', async () => {
    const peers = new FakePeers();
    const down = new AppError('LEDGER_UNAVAILABLE', 'the ledger is temporarily unavailable', { retryAfterSeconds: 4 });
    const waiter = newBlockWaiter({
      queryHeight: () => Promise.reject(down),
      organizations: () => ORGS,
      retryAfterSeconds: 4,
    });
    const err = await waiter
      .awaitBlock('PublisherMSP', 1n, { scope: 'organization', timeoutMs: 60_000 })
      .catch((e: unknown) => e);
    expect(err).to.equal(down);
    peers.unreachable.add('PublisherMSP');
    const other = (await waiterFor(peers)
      .awaitBlock('PublisherMSP', 1n, { scope: 'organization', timeoutMs: 60_000 })
      .catch((e: unknown) => e)) as AppError;
    expect(other.code, 'a foreign error becomes LEDGER_BEHIND').to.equal('LEDGER_BEHIND');
  });

  it('for a write, also waits for every other organization whose peer answers', async () => {
    const peers = new FakePeers();
    peers.heights.set('PublisherMSP', 8n);
    peers.heights.set('AdvertiserMSP', 8n);
    peers.heights.set('AgencyMSP', 7n);
    peers.onQuery = (target) => {
      if (target === 'AgencyMSP') peers.heights.set('AgencyMSP', (peers.heights.get('AgencyMSP') ?? 0n) + 1n);
    };
    await waiterFor(peers).awaitBlock('PublisherMSP', 7n, { scope: 'endorsers', timeoutMs: 5_000 });
    expect(peers.queries.filter((q) => q === 'PublisherMSP>AgencyMSP')).to.have.length(1);
    expect(peers.queries).to.include('PublisherMSP>AdvertiserMSP');
  });

  it('for a write, a lagging endorser that answers is waited for until the deadline', async () => {
    const peers = new FakePeers();
    peers.heights.set('PublisherMSP', 8n);
    peers.heights.set('AdvertiserMSP', 8n);
    peers.heights.set('AgencyMSP', 3n);
    const err = (await waiterFor(peers)
      .awaitBlock('PublisherMSP', 7n, { scope: 'endorsers', timeoutMs: 30 })
      .catch((e: unknown) => e)) as AppError;
    expect(err.code).to.equal('LEDGER_BEHIND');
    expect(err.message).to.contain('AgencyMSP');
  });

  it('for a write, skips another organization whose peer cannot be reached (it cannot endorse either)', async () => {
    const peers = new FakePeers();
    peers.heights.set('PublisherMSP', 8n);
    peers.heights.set('AdvertiserMSP', 8n);
    peers.unreachable.add('AgencyMSP');
    await waiterFor(peers).awaitBlock('PublisherMSP', 7n, { scope: 'endorsers', timeoutMs: 5_000 });
    expect(peers.queries.filter((q) => q.endsWith('>AgencyMSP'))).to.have.length(1);
  });

  it('shares one height query among concurrent waiters', async () => {
    const peers = new FakePeers();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const waiter = newBlockWaiter({
      queryHeight: async () => {
        calls++;
        await gate;
        return 50n;
      },
      organizations: () => ORGS,
      retryAfterSeconds: 1,
    });
    const waits = Array.from({ length: 20 }, () =>
      waiter.awaitBlock('AgencyMSP', 40n, { scope: 'organization', timeoutMs: 5_000 }),
    );
    release();
    await Promise.all(waits);
    expect(calls).to.equal(1);
    expect(peers.queries).to.deep.equal([]);
  });
});
