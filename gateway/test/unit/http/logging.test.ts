import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../../src/app';
import { newApiKeyStore } from '../../../src/auth/api-keys';
import { AppError } from '../../../src/errors';
import { openIdempotencyStore } from '../../../src/idempotency/idempotency-store';
import { campaign, FakeLedger, KEY_ENTRIES, KEYS } from '../fakes';

function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    logger: pino({ level: 'info' }, stream),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('request logging', () => {
  it('logs request ID and transaction ID, 4xx at warn, 5xx at error, never the key', async () => {
    const { logger, lines } = capture();
    const ledger = new FakeLedger();
    const app = createApp({
      ledger,
      apiKeys: newApiKeyStore(KEY_ENTRIES),
      idempotency: openIdempotencyStore({ ttlMs: 1000 }),
      logger,
    });
    await request(app)
      .post('/campaigns')
      .set('Authorization', `Bearer ${KEYS.advertiserOps}`)
      .set('X-Request-Id', 'req-1')
      .send(campaign);
    await request(app).get('/campaigns/c-1').set('X-API-Key', 'wrong-secret-key');
    ledger.fail('campaigns:Get', new AppError('LEDGER_UNAVAILABLE', 'down'));
    await request(app).get('/campaigns/c-1').set('X-API-Key', KEYS.advertiserOps);

    const all = lines();
    const text = JSON.stringify(all);
    expect(text).to.not.contain(KEYS.advertiserOps);
    expect(text).to.not.contain('wrong-secret-key');
    expect(text).to.not.contain('    at ');
    const completed = all.filter((l) => l.res !== undefined);
    expect(completed[0]).to.deep.include({ level: 30, transactionId: 'tx1' });
    expect((completed[0]!.req as { id: string }).id).to.equal('req-1');
    expect(completed[1]).to.deep.include({ level: 40, errorCode: 'UNAUTHENTICATED' });
    expect(completed[2]).to.deep.include({ level: 50, errorCode: 'LEDGER_UNAVAILABLE' });
  });
});
