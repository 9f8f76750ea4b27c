import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { AppError } from '../../../src/errors';
import { openIdempotencyStore } from '../../../src/idempotency/idempotency-store';
import { bodyOf, campaign, FakeLedger, KEYS, newTestApp } from '../fakes';

describe('idempotency', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-idem-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('replays the first response for the same key and body, with one ledger call', async () => {
    const { app, ledger } = newTestApp();
    const first = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(campaign);
    const second = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(campaign);
    expect(first.status).to.equal(201);
    expect(second.status).to.equal(201);
    expect(second.body).to.deep.equal(first.body);
    expect(second.headers['idempotent-replayed']).to.equal('true');
    expect(ledger.calls.filter((c) => c.kind === 'submit')).to.have.length(1);
  });

  it('treats the same body with other key order as the same request', async () => {
    const { app, ledger } = newTestApp();
    const reordered = Object.fromEntries(Object.entries(campaign).reverse());
    await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(campaign);
    const res = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(reordered);
    expect(res.status).to.equal(201);
    expect(ledger.calls.filter((c) => c.kind === 'submit')).to.have.length(1);
  });

  it('422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
    const { app, ledger } = newTestApp();
    await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(campaign);
    const res = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send({ ...campaign, name: 'other' });
    expect(res.status).to.equal(422);
    expect(bodyOf(res).error?.code).to.equal('IDEMPOTENCY_KEY_REUSED');
    expect(ledger.calls.filter((c) => c.kind === 'submit')).to.have.length(1);
  });

  it('scopes keys per client', async () => {
    const { app, ledger } = newTestApp();
    await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(campaign);
    const res = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.admin)
      .set('Idempotency-Key', 'k1')
      .send(campaign);
    expect(res.status).to.equal(201);
    expect(ledger.calls.filter((c) => c.kind === 'submit')).to.have.length(2);
  });

  it('remembers a chaincode refusal but not an unavailable ledger', async () => {
    const { app, ledger } = newTestApp();
    ledger.fail('campaigns:Propose', new AppError('CONFLICT', 'exists'));
    const send = () =>
      request(app).post('/campaigns').set('X-API-Key', KEYS.advertiserOps).set('Idempotency-Key', 'k2').send(campaign);
    expect((await send()).status).to.equal(409);
    ledger.failures.clear();
    expect((await send()).status).to.equal(409);
    // One write; the CONFLICT made the route read the existing campaign once (another content: still 409).
    expect(ledger.calls.map((c) => c.transaction)).to.deep.equal(['campaigns:Propose', 'campaigns:GetVersion']);

    ledger.fail('campaigns:Propose', new AppError('LEDGER_UNAVAILABLE', 'down'));
    const send3 = () =>
      request(app).post('/campaigns').set('X-API-Key', KEYS.advertiserOps).set('Idempotency-Key', 'k3').send(campaign);
    expect((await send3()).status).to.equal(503);
    ledger.failures.clear();
    expect((await send3()).status).to.equal(201);
  });

  it('does not remember answers that depend on the moment: a retry with the key runs again', async () => {
    for (const code of ['MVCC_READ_CONFLICT', 'INVALID_STATE', 'OVERPAYMENT', 'CAMPAIGN_NOT_FOUND']) {
      const { app, ledger } = newTestApp();
      ledger.fail('campaigns:Propose', new AppError(code, 'not now'));
      const send = () =>
        request(app)
          .post('/campaigns')
          .set('X-API-Key', KEYS.advertiserOps)
          .set('Idempotency-Key', 'km')
          .send(campaign);
      expect((await send()).status, code).to.be.within(400, 499);
      ledger.failures.clear();
      expect((await send()).status, `${code} then success`).to.equal(201);
    }
  });

  it('forgets expired keys while running and keeps at most maxEntries responses', () => {
    let now = 0;
    const store = openIdempotencyStore({ ttlMs: 100, maxEntries: 3, now: () => now });
    for (const key of ['a', 'b', 'c', 'd']) {
      store.begin('c', key, 'h');
      store.complete('c', key, 'h', { status: 201, body: { data: key } });
    }
    expect(store.size).to.equal(3);
    expect(store.begin('c', 'a', 'h').kind, 'the oldest went first').to.equal('new');
    store.abandon('c', 'a');
    now = 500;
    store.begin('c', 'e', 'h');
    store.complete('c', 'e', 'h', { status: 201, body: { data: 'e' } });
    expect(store.size, 'expired ones dropped at run time').to.equal(1);
  });

  it('409 for a concurrent request with the same key', async () => {
    const ledger = new FakeLedger();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = ledger.submit.bind(ledger);
    ledger.submit = async (org, tx, args) => {
      await gate;
      return original(org, tx, args);
    };
    const { app } = newTestApp({ ledger });
    const firstPromise = request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(campaign)
      .then((r) => r);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await request(app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(campaign);
    expect(second.status).to.equal(409);
    expect(bodyOf(second).error?.code).to.equal('IDEMPOTENCY_KEY_IN_USE');
    release();
    expect((await firstPromise).status).to.equal(201);
  });

  it('survives re-creating the store from its file', async () => {
    const file = path.join(dir, 'idempotency.jsonl');
    const first = newTestApp({ idempotency: openIdempotencyStore({ file, ttlMs: 3_600_000 }) });
    const res1 = await request(first.app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(campaign);
    first.idempotency.close();

    const second = newTestApp({ idempotency: openIdempotencyStore({ file, ttlMs: 3_600_000 }) });
    const res2 = await request(second.app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send(campaign);
    expect(res2.status).to.equal(201);
    expect(res2.body).to.deep.equal(res1.body);
    expect(second.ledger.calls).to.be.empty;
    const other = await request(second.app)
      .post('/campaigns')
      .set('X-API-Key', KEYS.advertiserOps)
      .set('Idempotency-Key', 'k1')
      .send({ ...campaign, name: 'changed' });
    expect(other.status).to.equal(422);
    second.idempotency.close();
  });

  it('drops expired keys and a torn last line when reopening', () => {
    const file = path.join(dir, 'idempotency.jsonl');
    let now = 1_000;
    const store = openIdempotencyStore({ file, ttlMs: 100, now: () => now });
    expect(store.begin('c', 'k', 'h').kind).to.equal('new');
    store.complete('c', 'k', 'h', { status: 201, body: { data: 1 } });
    store.close();
    fs.appendFileSync(file, '{"scope":"c","key":"torn"');
    const reopened = openIdempotencyStore({ file, ttlMs: 100, now: () => now });
    expect(reopened.begin('c', 'k', 'h').kind).to.equal('replay');
    now = 2_000;
    expect(reopened.begin('c', 'k', 'h').kind).to.equal('new');
    reopened.close();
    expect(fs.readFileSync(file, 'utf8')).to.not.contain('torn');
  });
});
