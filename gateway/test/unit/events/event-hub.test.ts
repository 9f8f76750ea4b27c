import { expect } from 'chai';
import { AppError } from '../../../src/errors';
import { EventBuffer } from '../../../src/events/event-buffer';
import { newEventHub, type EventHub, type EventSink } from '../../../src/events/event-hub';
import type { LedgerEvent } from '../../../src/ledger/ledger-client';
import { FakeLedger } from '../fakes';

function event(block: number, tx: string): LedgerEvent {
  return { blockNumber: BigInt(block), transactionId: tx, eventName: 'X', payload: { parties: ['AdvertiserMSP'] } };
}

/** A client that records what it got; `backlog` is what it claims is still unsent. */
function sink(backlog = 0): EventSink & { got: string[]; dropped: string[] } {
  const got: string[] = [];
  const dropped: string[] = [];
  return {
    got,
    dropped,
    send: (e) => {
      got.push(e.transactionId);
      return backlog;
    },
    drop: (reason) => {
      dropped.push(reason);
    },
  };
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('event hub', () => {
  let ledger: FakeLedger;
  let hub: EventHub;
  const all = () => true;

  beforeEach(() => {
    ledger = new FakeLedger();
    ledger.holdEventsOpenMs = 60_000;
    hub = newEventHub({
      ledger,
      org: 'AdvertiserMSP',
      bufferEvents: 2,
      maxStreams: 3,
      maxStreamsPerKey: 2,
      maxBacklogBytes: 100,
      retryAfterSeconds: 4,
    });
  });
  afterEach(() => {
    hub.close();
  });

  it('answers 429 TOO_MANY_STREAMS over the per-key and the total cap, and frees a slot on close', async () => {
    const a1 = await hub.subscribe({ key: 'a', from: {}, filter: all, sink: sink() });
    await hub.subscribe({ key: 'a', from: {}, filter: all, sink: sink() });
    const perKey = (await hub
      .subscribe({ key: 'a', from: {}, filter: all, sink: sink() })
      .catch((e: unknown) => e)) as AppError;
    expect([perKey.code, perKey.status, perKey.retryAfterSeconds]).to.deep.equal(['TOO_MANY_STREAMS', 429, 4]);
    await hub.subscribe({ key: 'b', from: {}, filter: all, sink: sink() });
    const total = (await hub
      .subscribe({ key: 'c', from: {}, filter: all, sink: sink() })
      .catch((e: unknown) => e)) as AppError;
    expect(total.code).to.equal('TOO_MANY_STREAMS');
    a1.close();
    a1.close();
    expect(hub.streams()).to.equal(2);
    await hub.subscribe({ key: 'c', from: {}, filter: all, sink: sink() });
    expect(ledger.eventStarts, 'one ledger subscription for every client').to.deep.equal([undefined]);
  });

  it('drops a slow reader instead of buffering for it, and keeps serving the others', async () => {
    ledger.events = [event(5, 'tx-a'), event(6, 'tx-b')];
    const slow = sink(101);
    const fast = sink(0);
    await hub.subscribe({ key: 'a', from: { startBlock: 5n }, filter: all, sink: slow });
    await hub.subscribe({ key: 'b', from: { startBlock: 5n }, filter: all, sink: fast });
    await settle();
    expect(slow.got).to.deep.equal(['tx-a']);
    expect(slow.dropped).to.deep.equal(['slow']);
    expect(fast.got).to.deep.equal(['tx-a', 'tx-b']);
    expect(hub.streams()).to.equal(1);
  });

  it('applies each client filter, and a filter that throws hides the event', async () => {
    ledger.events = [event(5, 'tx-a'), event(6, 'tx-b')];
    const client = sink();
    await hub.subscribe({
      key: 'a',
      from: { startBlock: 5n },
      filter: (e) => {
        if (e.transactionId === 'tx-a') throw new Error('boom');
        return true;
      },
      sink: client,
    });
    await settle();
    expect(client.got).to.deep.equal(['tx-b']);
  });

  it('resubscribes from the last event after the ledger stream ends, without repeating it', async () => {
    ledger.holdEventsOpenMs = 0;
    ledger.events = [event(5, 'tx-a')];
    const hub2 = newEventHub({
      ledger,
      org: 'AdvertiserMSP',
      bufferEvents: 10,
      maxStreams: 3,
      maxStreamsPerKey: 3,
      maxBacklogBytes: 100,
      retryAfterSeconds: 4,
      reconnectDelayMs: 5,
    });
    try {
      const client = sink();
      await hub2.subscribe({ key: 'a', from: { startBlock: 5n }, filter: all, sink: client });
      await settle();
      ledger.events = [event(5, 'tx-a'), event(7, 'tx-c')];
      await settle();
      expect(client.got).to.deep.equal(['tx-a', 'tx-c']);
      expect(ledger.eventStarts.slice(0, 2)).to.deep.equal([5n, 5n]);
    } finally {
      hub2.close();
    }
  });

  it('bounds the buffer: the oldest events go, and with them the resume points before them', () => {
    const buffer = new EventBuffer(2, 4n);
    expect(buffer.covers(4n)).to.be.true;
    buffer.push(event(5, 'a'));
    buffer.push(event(6, 'b'));
    buffer.push(event(7, 'c'));
    expect([...buffer.events()].map((e) => e.transactionId)).to.deep.equal(['b', 'c']);
    expect(buffer.coveredFrom).to.equal(6n);
    expect(buffer.covers(5n)).to.be.false;
    for (let i = 8; i < 20; i++) buffer.push(event(i, `t${String(i)}`));
    expect(buffer.size).to.equal(2);
  });
});
