'use strict';
/**
 * The `bench` contract, deployed beside the real contracts for `npm run bench` only (`bench-chaincode.ts` copies
 * this file into a copy of the chaincode's build and adds it to the exported contracts). Its functions do the
 * ledger's elementary work and nothing else, so that what the network spends on them is the platform's own cost:
 *  - `Put`: the trivial write (one public key) that delivery reports are compared with (sections 1 and 8);
 *  - `PutMany`, `PointerMany`, `PrivateMany`: `count` new keys of one kind in one transaction (section 8's per-key
 *    costs): a blind public write; a report ID pointer's work (read as absent, write, key-level policy); a private
 *    record's work (the private value, its public marker, the marker's key-level policy);
 *  - `SeedRecord` and `MinimalReport`: the least a delivery report could do under the trust rules (read its
 *    campaign's marker and private value, write its own private record, marker and policy), section 8's floor;
 *  - `PrivateOnly`: one private value and nothing else (below the trust rules: no marker, no key-level policy).
 * Arguments are strings; `orgsJson` is a JSON array of MSP IDs (the key-level policy's organizations).
 */
const { Contract } = require('fabric-contract-api');
const { endorsementPolicy } = require('./ledger/ledger.js');

const keyOf = (ctx, parts) => ctx.stub.createCompositeKey('bench', parts);
const bytes = (size) => Buffer.alloc(Number(size), 'x');
const policyOf = (orgsJson) => endorsementPolicy(JSON.parse(orgsJson));

/** One private record of `size` bytes under `key`, its public marker and the marker's key-level policy. */
async function putRecord(ctx, collection, key, size, policy) {
  await ctx.stub.putPrivateData(collection, key, bytes(size));
  await ctx.stub.putState(key, Buffer.from(JSON.stringify({ c: collection, h: key })));
  await ctx.stub.setStateValidationParameter(key, policy);
}

class BenchContract extends Contract {
  constructor() {
    super('bench');
  }

  async Put(ctx, key, value) {
    await ctx.stub.putState(keyOf(ctx, [key]), Buffer.from(value));
  }

  async PutMany(ctx, prefix, count, size) {
    for (let i = 0; i < Number(count); i++) await ctx.stub.putState(keyOf(ctx, [prefix, String(i)]), bytes(size));
  }

  async PointerMany(ctx, prefix, count, size, orgsJson) {
    const policy = policyOf(orgsJson);
    for (let i = 0; i < Number(count); i++) {
      const key = keyOf(ctx, [prefix, String(i)]);
      await ctx.stub.getState(key);
      await ctx.stub.putState(key, bytes(size));
      await ctx.stub.setStateValidationParameter(key, policy);
    }
  }

  async PrivateMany(ctx, collection, prefix, count, size, orgsJson) {
    const policy = policyOf(orgsJson);
    for (let i = 0; i < Number(count); i++)
      await putRecord(ctx, collection, keyOf(ctx, [prefix, String(i)]), size, policy);
  }

  async SeedRecord(ctx, collection, key, size, orgsJson) {
    await putRecord(ctx, collection, keyOf(ctx, [key]), size, policyOf(orgsJson));
  }

  async PrivateOnly(ctx, collection, key, size) {
    await ctx.stub.putPrivateData(collection, keyOf(ctx, [key]), bytes(size));
  }

  async MinimalReport(ctx, collection, campaignKey, reportKey, size, orgsJson) {
    const campaign = keyOf(ctx, [campaignKey]);
    if ((await ctx.stub.getState(campaign)).length === 0) throw new Error(`no record ${campaignKey}`);
    if ((await ctx.stub.getPrivateData(collection, campaign)).length === 0) throw new Error(`no value ${campaignKey}`);
    await putRecord(ctx, collection, keyOf(ctx, [reportKey]), size, policyOf(orgsJson));
  }
}

module.exports = BenchContract;
