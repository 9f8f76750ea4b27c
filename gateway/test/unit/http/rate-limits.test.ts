import { expect } from 'chai';
import request from 'supertest';
import { bodyOf, KEYS, newTestApp } from '../fakes';

const limits = { perKey: 3, perAddress: 2, windowMs: 60_000 };

describe('rate limits', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the per-key limit, and counts each key apart', async () => {
    const { app } = newTestApp({ rateLimits: limits });
    for (let i = 0; i < 3; i++) {
      const ok = await request(app).get('/campaigns').set('X-API-Key', KEYS.advertiserOps);
      expect(ok.status).to.equal(200);
    }
    const refused = await request(app).get('/campaigns').set('X-API-Key', KEYS.advertiserOps);
    expect(refused.status).to.equal(429);
    expect(bodyOf(refused).error?.code).to.equal('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).to.be.within(1, 60);
    const other = await request(app).get('/campaigns').set('X-API-Key', KEYS.publisherOps);
    expect(other.status, 'another key has its own budget').to.equal(200);
  });

  it('limits the paths without a key per source address', async () => {
    const { app } = newTestApp({ rateLimits: limits });
    expect((await request(app).get('/healthz')).status).to.equal(200);
    expect((await request(app).get('/openapi.json')).status).to.equal(200);
    const refused = await request(app).get('/healthz');
    expect(refused.status).to.equal(429);
    expect(bodyOf(refused).error?.code).to.equal('RATE_LIMITED');
    expect(refused.headers['retry-after']).to.match(/^\d+$/);
  });

  it('bounds refused keys per source address, without counting accepted ones', async () => {
    const { app } = newTestApp({ rateLimits: { ...limits, perKey: 100 } });
    for (let i = 0; i < 5; i++) {
      expect((await request(app).get('/campaigns').set('X-API-Key', KEYS.advertiserOps)).status).to.equal(200);
    }
    for (let i = 0; i < 2; i++) {
      expect((await request(app).get('/campaigns').set('X-API-Key', 'adr_guess')).status).to.equal(401);
    }
    const refused = await request(app).get('/campaigns').set('X-API-Key', 'adr_guess');
    expect(refused.status).to.equal(429);
  });

  it('turns a limit off with 0', async () => {
    const { app } = newTestApp({ rateLimits: { perKey: 0, perAddress: 0, windowMs: 60_000 } });
    for (let i = 0; i < 10; i++) {
      expect((await request(app).get('/campaigns').set('X-API-Key', KEYS.advertiserOps)).status).to.equal(200);
      expect((await request(app).get('/healthz')).status).to.equal(200);
    }
  });
});
