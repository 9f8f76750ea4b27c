import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type { LedgerEvent } from '../../../src/ledger/ledger-client';
import { formatSseEvent, isVisibleTo, newResumeFilter, parseCheckpoint } from '../../../src/http/sse';
import { KEYS, newTestApp, type TestApp } from '../fakes';

function event(block: number, tx: string, parties: string[], name = 'CampaignProposed'): LedgerEvent {
  return { blockNumber: BigInt(block), transactionId: tx, eventName: name, payload: { campaignId: 'c-1', parties } };
}

const both = ['AdvertiserMSP', 'PublisherMSP'];

/** Reads an SSE response until `done(text)` or 3 s, then disconnects; the app's event hubs end with `shutdown`. */
async function readStream(
  app: Express,
  headers: Record<string, string>,
  done: (text: string) => boolean,
  path = '/events',
): Promise<{ status: number; text: string; ended: boolean }> {
  const server = app.listen(0);
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, 3_000);
  let text = '';
  let status = 0;
  let ended: boolean;
  try {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const response = await fetch(`http://127.0.0.1:${String(address.port)}${path}`, {
      headers,
      signal: controller.signal,
    });
    status = response.status;
    if (response.body === null) return { status, text, ended: true };
    const decoder = new TextDecoder();
    ended = true;
    for await (const chunk of response.body) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      if (done(text)) {
        ended = false;
        break;
      }
    }
  } catch (err) {
    ended = false;
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
    server.closeAllConnections();
    server.close();
  }
  return { status, text, ended };
}

describe('events (SSE)', () => {
  let shutdown: AbortController;
  let opened: TestApp;
  const open = (options: { sseHeartbeatMs?: number } = {}): TestApp => {
    opened = newTestApp({ ...options, shutdownSignal: shutdown.signal });
    // Held open: the hub's one subscription lasts for the whole test, like a live peer stream.
    opened.ledger.holdEventsOpenMs = 60_000;
    return opened;
  };
  beforeEach(() => {
    shutdown = new AbortController();
  });
  afterEach(() => {
    shutdown.abort();
  });

  it('streams only events whose parties include the caller, framed with id and event', async () => {
    const { app, ledger } = open();
    ledger.events = [
      event(5, 'tx-a', both),
      event(5, 'tx-b', ['AgencyMSP']),
      event(6, 'tx-c', ['AdvertiserMSP'], 'InvoiceIssued'),
    ];
    // A checkpoint before the first event (block 4): the hub starts there.
    const res = await readStream(app, { 'X-API-Key': KEYS.advertiserOps, 'Last-Event-ID': '4:tx-0' }, (t) =>
      t.includes('tx-c'),
    );
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(
      'id: 5:tx-a\nevent: CampaignProposed\ndata: {"blockNumber":"5","transactionId":"tx-a","payload":{"campaignId":"c-1","parties":["AdvertiserMSP","PublisherMSP"]}}\n\n',
    );
    expect(res.text).to.not.contain('tx-b');
    expect(res.text).to.contain('id: 6:tx-c\nevent: InvoiceIssued\n');
    expect(ledger.eventStarts).to.deep.equal([4n]);
  });

  it('resumes after Last-Event-ID: starts at its block and skips up to and including its transaction', async () => {
    const { app, ledger } = open();
    ledger.events = [event(5, 'tx-a', both), event(5, 'tx-b', both), event(5, 'tx-c', both), event(6, 'tx-d', both)];
    const res = await readStream(app, { 'X-API-Key': KEYS.publisherOps, 'Last-Event-ID': '5:tx-b' }, (t) =>
      t.includes('tx-d'),
    );
    expect(ledger.eventStarts).to.deep.equal([5n]);
    expect(res.text).to.not.contain('id: 5:tx-a');
    expect(res.text).to.not.contain('id: 5:tx-b');
    expect(res.text).to.contain('id: 5:tx-c');
    expect(res.text).to.contain('id: 6:tx-d');
  });

  it('serves every client from one ledger subscription, each from its own Last-Event-ID', async () => {
    const { app, ledger } = open();
    ledger.events = [event(5, 'tx-a', both), event(6, 'tx-b', both), event(7, 'tx-c', both)];
    const first = await readStream(app, { 'X-API-Key': KEYS.publisherOps, 'Last-Event-ID': '4:tx-0' }, (t) =>
      t.includes('tx-c'),
    );
    const second = await readStream(app, { 'X-API-Key': KEYS.publisherFinance, 'Last-Event-ID': '6:tx-b' }, (t) =>
      t.includes('tx-c'),
    );
    expect(first.text).to.contain('id: 5:tx-a');
    expect(second.text).to.not.contain('tx-a');
    expect(second.text).to.not.contain('id: 6:tx-b');
    expect(second.text).to.contain('id: 7:tx-c');
    expect(ledger.eventStarts, 'one subscription to the peer').to.deep.equal([4n]);
  });

  it('answers 409 EVENTS_EXPIRED for a resume point older than the buffer', async () => {
    const { app, ledger } = open();
    ledger.events = [event(5, 'tx-a', both), event(6, 'tx-b', both)];
    await readStream(app, { 'X-API-Key': KEYS.publisherOps, 'Last-Event-ID': '5:tx-0' }, (t) => t.includes('tx-b'));
    const res = await readStream(app, { 'X-API-Key': KEYS.publisherOps, 'Last-Event-ID': '4:tx-z' }, () => true);
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('EVENTS_EXPIRED');
  });

  it('starts at ?startBlock', async () => {
    const { app, ledger } = open();
    await readStream(app, { 'X-API-Key': KEYS.publisherOps }, (t) => t.includes('connected'), '/events?startBlock=12');
    expect(ledger.eventStarts).to.deep.equal([12n]);
  });

  it('400 for a malformed Last-Event-ID', async () => {
    const { app } = open();
    const res = await request(app).get('/events').set('X-API-Key', KEYS.publisherOps).set('Last-Event-ID', 'nonsense');
    expect(res.status).to.equal(400);
  });

  it('sends heartbeats while the stream is idle', async () => {
    const { app } = open({ sseHeartbeatMs: 10 });
    const res = await readStream(app, { 'X-API-Key': KEYS.publisherOps }, (t) => t.includes(': heartbeat\n\n'));
    expect(res.text).to.contain(': heartbeat\n\n');
  });

  it('keeps the ledger subscription when a client disconnects, and closes it on shutdown', async () => {
    const { app, ledger } = open();
    await readStream(app, { 'X-API-Key': KEYS.publisherOps }, (t) => t.includes('connected'));
    expect(ledger.eventsClosed).to.equal(0);
    shutdown.abort();
    expect(ledger.eventsClosed).to.equal(1);
  });

  it('ends open streams on shutdown', async () => {
    const { app } = open();
    const res = await readStream(app, { 'X-API-Key': KEYS.publisherOps }, (t) => {
      if (t.includes('connected')) shutdown.abort();
      return false;
    });
    expect([res.status, res.ended], 'the server ended the stream').to.deep.equal([200, true]);
  });

  describe('helpers', () => {
    it('parses checkpoints', () => {
      expect(parseCheckpoint('12:abc')).to.deep.equal({ blockNumber: 12n, transactionId: 'abc' });
      expect(parseCheckpoint('x:abc')).to.be.undefined;
      expect(parseCheckpoint('12:')).to.be.undefined;
      expect(parseCheckpoint(':abc')).to.be.undefined;
      expect(parseCheckpoint('12:a\nb')).to.be.undefined;
    });

    it('without a checkpoint keeps everything', () => {
      const keep = newResumeFilter(undefined);
      expect(keep(event(1, 'a', both))).to.be.true;
    });

    it('stops skipping at a later block even if the transaction was not seen', () => {
      const keep = newResumeFilter({ blockNumber: 5n, transactionId: 'missing' });
      expect(keep(event(5, 'x', both))).to.be.false;
      expect(keep(event(6, 'y', both))).to.be.true;
      expect(keep(event(6, 'z', both))).to.be.true;
    });

    it('checks visibility by parties', () => {
      expect(isVisibleTo(event(1, 'a', both), 'PublisherMSP')).to.be.true;
      expect(isVisibleTo(event(1, 'a', both), 'AgencyMSP')).to.be.false;
      expect(isVisibleTo({ ...event(1, 'a', both), payload: null }, 'AgencyMSP')).to.be.false;
    });

    it('formats frames', () => {
      expect(formatSseEvent('1:a', 'X', { s: 'two\nlines' })).to.equal(
        'id: 1:a\nevent: X\ndata: {"s":"two\\nlines"}\n\n',
      );
    });
  });
});
