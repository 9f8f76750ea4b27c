// Test-only attacker chaincode for the colluding-endorsement tests (integration/test/trust.test.ts). It stands in
// for the modified chaincode server that colluding organizations may run on their own hosts (chaincode as a
// service): it writes the given keys with no access check at all. Never deployed; started by the tests only.
'use strict';
const crypto = require('node:crypto');
const { Contract } = require('fabric-contract-api');

class ForgeContract extends Contract {
  constructor() {
    super('forge');
  }

  /**
   * writesJson: [{type, attributes, value (a JSON value, written canonically as given) or null (delete), and
   * optionally collection + members: then the value goes into that private data collection as a private record
   * ({s, v}) and the channel gets its public marker ({c, m, h}), exactly as the real chaincode stores one}]
   */
  async Write(ctx, writesJson) {
    const writes = JSON.parse(writesJson);
    for (const write of writes) {
      const key = ctx.stub.createCompositeKey(write.type, write.attributes);
      if (write.value === null) {
        await ctx.stub.deleteState(key);
      } else if (write.collection !== undefined) {
        const bytes = Buffer.from(JSON.stringify({ s: 'forged', v: write.value }));
        await ctx.stub.putPrivateData(write.collection, key, bytes);
        const h = crypto.createHash('sha256').update(bytes).digest('hex');
        await ctx.stub.putState(key, Buffer.from(JSON.stringify({ c: write.collection, h, m: write.members })));
      } else {
        await ctx.stub.putState(key, Buffer.from(JSON.stringify(write.value)));
      }
    }
    ctx.stub.setEvent('Forged', Buffer.from(JSON.stringify({ keys: writes.length })));
    return JSON.stringify({ written: writes.length });
  }
}

module.exports.contracts = [ForgeContract];
