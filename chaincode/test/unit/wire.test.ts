import { expect } from 'chai';
import { JSONSerializer } from 'fabric-contract-api';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type sinon from 'sinon';
import { contracts } from '../../src/index.js';
import { FakeNetwork } from './support/fake-network.js';
import { ADV } from './support/scenario.js';

interface ShimResponse {
  status: number;
  message?: string;
  payload?: Uint8Array;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (
  classes: unknown[],
  serializers: unknown,
  metadata: unknown,
  title: string,
  version: string,
) => { invokeFunctionality(stub: unknown): Promise<ShimResponse> };

/**
 * Self-signed P-256 certificates (test fixtures only): fabric-shim parses the caller's certificate, including the
 * attributes extension Fabric CA writes (1.2.3.4.5.6.7.8.1: `{"attrs":{"adrecon.role":…,"hf.EnrollmentID":…}}`).
 */
const fixture = (name: string): Buffer =>
  readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'unit', 'fixtures', name));
/** A user with role admin. */
const CERT = fixture('client-cert-admin.pem');
/** A user with role finance (enrollment ID fin1). */
const FINANCE_CERT = fixture('client-cert-finance.pem');
/** A certificate without any attribute: a user without a role. */
const NO_ROLE_CERT = fixture('client-cert.pem');

function invoke(net: FakeNetwork, args: string[], cert: Buffer = CERT): Promise<ShimResponse> {
  // fabric-shim appends its system contract to the array it is given: pass a copy.
  const chaincode = new ChaincodeFromContract(
    [...contracts],
    { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } },
    {},
    'adrecon',
    '0.1.0',
  );
  const { stub } = net.context(ADV);
  (stub as unknown as { getBufferArgs: sinon.SinonStub }).getBufferArgs.returns(args.map((a) => Buffer.from(a)));
  stub.getChannelID.returns('adrecon');
  stub.getFunctionAndParameters.returns({ fcn: args[0] ?? '', params: args.slice(1) });
  stub.getCreator.returns({ mspid: ADV, idBytes: cert });
  return net.atPeerClock(() => chaincode.invokeFunctionality(stub));
}

describe('the wire, through fabric-shim', () => {
  it('returns the canonical JSON string as the payload', async () => {
    const net = new FakeNetwork();
    const response = await invoke(net, ['roles:SetRoles', JSON.stringify([{ role: 'ADVERTISER', mspId: ADV }])]);
    expect(response.status).to.equal(200);
    expect(Buffer.from(response.payload!).toString()).to.equal(`[{"mspId":"${ADV}","role":"ADVERTISER"}]`);
  });

  it('returns the coded message as the transaction error', async () => {
    const net = new FakeNetwork();
    const response = await invoke(net, ['roles:SetRoles', '{']);
    expect(response.status).to.equal(500);
    expect(response.message).to.equal('VALIDATION_FAILED: entries is not valid JSON');
    const missing = await invoke(net, ['campaigns:Get', 'nope']);
    expect(missing.message).to.match(/^CAMPAIGN_NOT_FOUND: /);
    const unknown = await invoke(net, ['billing:Refund', '{}']);
    expect(unknown.message).to.equal('VALIDATION_FAILED: transaction "billing:Refund" does not exist');
  });

  it('refuses, before the transaction runs, a proposal timestamped more than 5 minutes from the peer clock', async () => {
    const net = new FakeNetwork();
    net.peerClockOffsetMs = -(5 * 60 * 1000 + 1);
    const response = await invoke(net, ['roles:SetRoles', JSON.stringify([{ role: 'ADVERTISER', mspId: ADV }])]);
    expect(response.status).to.equal(500);
    expect(response.message).to.match(
      /^VALIDATION_FAILED: the transaction timestamp .* ahead of the endorsing peer's clock/,
    );
  });

  it("refuses a write the user's adrecon.role does not allow, naming the user, before the transaction runs", async () => {
    const net = new FakeNetwork();
    const response = await invoke(net, ['campaigns:Propose', '{}'], FINANCE_CERT);
    expect(response.status).to.equal(500);
    expect(response.message).to.equal(
      'FORBIDDEN: user fin1 of AdvertiserMSP has role finance; campaigns:Propose needs campaigns:write',
    );
    expect(net.state.size, 'nothing written').to.equal(0);
  });

  it('lets a user without a role attribute read, and refuses its writes', async () => {
    const net = new FakeNetwork();
    const write = await invoke(
      net,
      ['roles:SetRoles', JSON.stringify([{ role: 'ADVERTISER', mspId: ADV }])],
      NO_ROLE_CERT,
    );
    expect(write.message).to.match(/^FORBIDDEN: user user1 of AdvertiserMSP has no adrecon.role attribute/);
    const read = await invoke(net, ['roles:ListRoles'], NO_ROLE_CERT);
    expect(read.status).to.equal(200);
  });
});
