import { expect } from 'chai';
import request from 'supertest';
import type { LedgerEvent } from '../../../src/ledger/ledger-client';
import { formatSseEvent, isVisibleTo, newResumeFilter, parseCheckpoint } from '../../../src/http/sse';
import { KEYS, newTestApp } from '../fakes';

function event(block: number, tx: string, parties: string[], name = 'CampaignProposed'): LedgerEvent {
  return { blockNumber: BigInt(block), transactionId: tx, eventName: name, payload: { campaignId: 'c-1', parties } };
}

const both = ['AdvertiserMSP', 'PublisherMSP'];

describe('events (SSE)', () => {
  it('streams only events whose parties include the caller, framed with id and event', async () => {
    const { app, ledger } = newTestApp();
    ledger.events = [
      event(5, 'tx-a', both),
      event(5, 'tx-b', ['AgencyMSP']),
      event(6, 'tx-c', ['AdvertiserMSP'], 'InvoiceIssued'),
    ];
    const res = await request(app).get('/events').set('X-API-Key', KEYS.advertiserOps);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/event-stream/);
    expect(res.text).to.contain(
      'id: 5:tx-a\nevent: CampaignProposed\ndata: {"blockNumber":"5","transactionId":"tx-a","payload":{"campaignId":"c-1","parties":["AdvertiserMSP","PublisherMSP"]}}\n\n',
    );
    expect(res.text).to.not.contain('tx-b');
    expect(res.text).to.contain('id: 6:tx-c\nevent: InvoiceIssued\n');
    expect(ledger.eventStarts).to.deep.equal([undefined]);
    expect(ledger.eventsClosed).to.equal(1);
  });

  it('resumes after Last-Event-ID: starts at its block and skips up to and including its transaction', async () => {
    const { app, ledger } = newTestApp();
    ledger.events = [event(5, 'tx-a', both), event(5, 'tx-b', both), event(5, 'tx-c', both), event(6, 'tx-d', both)];
    const res = await request(app).get('/events').set('X-API-Key', KEYS.publisherOps).set('Last-Event-ID', '5:tx-b');
    expect(ledger.eventStarts).to.deep.equal([5n]);
    expect(res.text).to.not.contain('id: 5:tx-a');
    expect(res.text).to.not.contain('id: 5:tx-b');
    expect(res.text).to.contain('id: 5:tx-c');
    expect(res.text).to.contain('id: 6:tx-d');
  });

  it('starts at ?startBlock', async () => {
    const { app, ledger } = newTestApp();
    await request(app).get('/events?startBlock=12').set('X-API-Key', KEYS.publisherOps);
    expect(ledger.eventStarts).to.deep.equal([12n]);
  });

  it('400 for a malformed Last-Event-ID', async () => {
    const { app } = newTestApp();
    const res = await request(app).get('/events').set('X-API-Key', KEYS.publisherOps).set('Last-Event-ID', 'nonsense');
    expect(res.status).to.equal(400);
  });

  it('sends heartbeats while the stream is idle', async () => {
    const { app, ledger } = newTestApp({ sseHeartbeatMs: 10 });
    ledger.holdEventsOpenMs = 60;
    const res = await request(app).get('/events').set('X-API-Key', KEYS.publisherOps);
    expect(res.text).to.contain(': heartbeat\n\n');
  });

  it('closes the ledger stream when the client disconnects', async () => {
    const { app, ledger } = newTestApp();
    // Held open far longer than the test may take: only the client's disconnect can close it.
    ledger.holdEventsOpenMs = 60_000;
    const server = app.listen(0);
    try {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${address.port}/events`, {
        headers: { 'X-API-Key': KEYS.publisherOps },
        signal: controller.signal,
      });
      expect(response.status).to.equal(200);
      controller.abort();
      for (let waited = 0; ledger.eventsClosed === 0 && waited < 5_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(ledger.eventsClosed).to.equal(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('ends open streams on shutdown', async () => {
    const shutdown = new AbortController();
    const { app, ledger } = newTestApp({ shutdownSignal: shutdown.signal });
    // Held open far longer than mocha's 10 s timeout: the response can only end because of the shutdown.
    ledger.holdEventsOpenMs = 60_000;
    setTimeout(() => {
      shutdown.abort();
    }, 50);
    const res = await request(app).get('/events').set('X-API-Key', KEYS.publisherOps);
    expect(res.status).to.equal(200);
    expect(ledger.eventsClosed).to.equal(1);
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
