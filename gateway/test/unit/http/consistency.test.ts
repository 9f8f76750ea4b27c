import { expect } from 'chai';
import request from 'supertest';
import { AppError } from '../../../src/errors';
import { bearer, bodyOf, KEYS, newTestApp, report } from '../fakes';

describe('consistency token (X-Min-Block)', () => {
  it('holds a read until its organization has committed the block, on its own peer only', async () => {
    const { app, ledger } = newTestApp();
    const res = await request(app)
      .get('/campaigns/c-1')
      .set('Authorization', bearer(KEYS.publisherFinance))
      .set('X-Min-Block', '120');
    expect(res.status).to.equal(200);
    expect(ledger.blockWaits).to.have.length(1);
    expect(ledger.blockWaits[0]).to.deep.include({ org: 'PublisherMSP', block: 120n });
    expect(ledger.blockWaits[0]?.options.scope).to.equal('organization');
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal(['campaigns:Get']);
  });

  it('holds a write until every endorsing organization has the block, then answers the new block', async () => {
    const { app, ledger } = newTestApp();
    ledger.answer('delivery:Submit', { report: {}, created: true });
    const res = await request(app)
      .post('/delivery-reports')
      .set('Authorization', bearer(KEYS.publisherOps))
      .set('X-Min-Block', '7')
      .send(report);
    expect(res.status).to.equal(201);
    expect(ledger.blockWaits.map((w) => [w.org, w.block, w.options.scope])).to.deep.equal([
      ['PublisherMSP', 7n, 'endorsers'],
    ]);
    expect(bodyOf(res).block).to.equal('101');
    expect(res.headers['x-committed-block']).to.equal('101');
  });

  it('answers 503 LEDGER_BEHIND with Retry-After when the block does not arrive in time, and calls nothing', async () => {
    const { app, ledger } = newTestApp();
    ledger.blockWaitFailure = new AppError('LEDGER_BEHIND', 'the peer of PublisherMSP has not committed block 9 yet', {
      retryAfterSeconds: 2,
    });
    const res = await request(app)
      .get('/campaigns/c-1')
      .set('Authorization', bearer(KEYS.publisherFinance))
      .set('X-Min-Block', '9');
    expect(res.status).to.equal(503);
    expect(res.headers['retry-after']).to.equal('2');
    expect(bodyOf(res).error?.code).to.equal('LEDGER_BEHIND');
    expect(ledger.calls).to.deep.equal([]);
  });

  for (const bad of ['-1', 'abc', '1.5', '0x10', '012', '18446744073709551616', '']) {
    it(`refuses X-Min-Block ${JSON.stringify(bad)} with 400 and calls nothing`, async () => {
      const { app, ledger } = newTestApp();
      const res = await request(app)
        .get('/campaigns/c-1')
        .set('Authorization', bearer(KEYS.publisherFinance))
        .set('X-Min-Block', bad);
      expect(res.status).to.equal(400);
      expect(bodyOf(res).error?.code).to.equal('VALIDATION_FAILED');
      expect(bodyOf(res).error?.message).to.contain('X-Min-Block');
      expect(ledger.calls).to.deep.equal([]);
      expect(ledger.blockWaits).to.deep.equal([]);
    });
  }

  it('a request without the token waits for nothing', async () => {
    const { app, ledger } = newTestApp();
    const res = await request(app).get('/campaigns/c-1').set('Authorization', bearer(KEYS.publisherFinance));
    expect(res.status).to.equal(200);
    expect(ledger.blockWaits).to.deep.equal([]);
  });

  it('an idempotent replay answers the original block in body and header, without waiting again', async () => {
    const { app, ledger } = newTestApp();
    const send = () =>
      request(app)
        .post('/delivery-reports')
        .set('Authorization', bearer(KEYS.publisherOps))
        .set('Idempotency-Key', 'once')
        .set('X-Min-Block', '5')
        .send(report);
    const first = await send();
    const replay = await send();
    expect(replay.headers['idempotent-replayed']).to.equal('true');
    expect(bodyOf(replay).block).to.equal(bodyOf(first).block);
    expect(replay.headers['x-committed-block']).to.equal(bodyOf(first).block);
    expect(ledger.blockWaits).to.have.length(1);
  });

  it('documents the header and the block field in the OpenAPI document', async () => {
    const { app } = newTestApp();
    const doc = (await request(app).get('/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: unknown }>>;
    };
    const post = doc.paths['/delivery-reports']?.post;
    expect(post?.parameters?.map((p) => `${p.in}:${p.name}`)).to.include.members([
      'header:X-Min-Block',
      'header:Idempotency-Key',
    ]);
    expect(JSON.stringify(post?.responses)).to.contain('"block"');
    expect(doc.paths['/campaigns/{campaignId}']?.get?.parameters?.map((p) => p.name)).to.include('X-Min-Block');
  });
});
