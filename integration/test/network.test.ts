import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { campaignTerms } from './support/campaign-fixtures';
import { awaitCommitted } from './support/commits';
import { connectAs, evaluateJson, eventually, type OrgConnection } from './support/fabric-connection';
import { loadProfile, mspOf, repoRoot, runDir } from './support/network-profile';
import { committedSequence, recordedPids, runScript } from './support/network-scripts';

interface Campaign {
  campaignId: string;
  version: number;
  status: string;
}

const utf8 = new TextDecoder();

describe('the native Fabric network', function () {
  this.timeout(300_000);
  const profile = loadProfile();
  const advertiser = mspOf(profile, 'ADVERTISER');
  const agency = mspOf(profile, 'AGENCY');
  const publisher = mspOf(profile, 'PUBLISHER');
  const connections: OrgConnection[] = [];
  const open = (mspId: string) => {
    const conn = connectAs(profile, mspId);
    connections.push(conn);
    return conn;
  };
  after(() => {
    connections.forEach((c) => {
      c.close();
    });
  });

  let campaignId = '';
  let blockNumber = 0n;
  let transactionId = '';

  it('commits a transaction endorsed by every organization (the chaincode-level policy) and reads it back from another organization’s peer', async () => {
    const terms = campaignTerms(profile);
    campaignId = terms.campaignId;
    const asAdvertiser = open(advertiser);
    const proposal = asAdvertiser.contract.newProposal('campaigns:Propose', {
      arguments: [JSON.stringify(terms)],
      endorsingOrganizations: [advertiser, agency, publisher],
    });
    const transaction = await proposal.endorse();
    const commit = await transaction.submit();
    const status = await commit.getStatus();
    expect(status.successful, `validation code ${status.code}`).to.equal(true);
    blockNumber = status.blockNumber;
    transactionId = status.transactionId;

    const asPublisher = open(publisher);
    await awaitCommitted(blockNumber, [asPublisher]);
    const stored = await evaluateJson<Campaign>(asPublisher, 'campaigns:Get', campaignId);
    expect(stored.campaignId).to.equal(campaignId);
    expect(stored.version).to.equal(1);
    expect(stored.status).to.equal('PROPOSED');
  });

  it('delivers that transaction’s chaincode event to a listener', async () => {
    const asAgency = open(agency);
    const events = await asAgency.network.getChaincodeEvents(profile.chaincode, { startBlock: blockNumber });
    try {
      for await (const event of events) {
        if (event.transactionId !== transactionId) continue;
        expect(event.eventName).to.equal('CampaignProposed');
        expect(event.blockNumber).to.equal(blockNumber);
        const payload = JSON.parse(utf8.decode(event.payload)) as { campaignId: string; parties: string[] };
        expect(payload.campaignId).to.equal(campaignId);
        expect(payload.parties).to.include.members([advertiser, agency, publisher]);
        return;
      }
    } finally {
      events.close();
    }
  });

  it('a second `up` changes nothing', async () => {
    const before = recordedPids();
    const out = await runScript('network-up.sh');
    expect(out).to.match(/nothing to do/);
    expect(recordedPids()).to.deep.equal(before);
  });

  it('keeps the ledger and brings the chaincode servers back across `down` and `up`', async () => {
    connections.splice(0).forEach((c) => {
      c.close();
    });
    await runScript('network-down.sh');
    expect(recordedPids()).to.deep.equal({});
    await runScript('network-up.sh');
    const pids = recordedPids();
    const servers = Object.keys(pids).filter((name) => name.startsWith('chaincode-'));
    expect(servers).to.have.length(profile.organizations.length);
    // Signal 0 only checks that each recorded process exists.
    for (const pid of Object.values(pids)) expect(() => process.kill(pid, 0)).not.to.throw();

    const asAgency = open(agency);
    const stored = await eventually(() => evaluateJson<Campaign>(asAgency, 'campaigns:Get', campaignId));
    expect(stored.campaignId).to.equal(campaignId);
  });

  it('upgrades a changed chaincode with the next sequence and serves the new code', async () => {
    const chaincodeDir = path.join(repoRoot, 'chaincode');
    const variantDir = path.join(runDir, 'chaincode-variant');
    fs.rmSync(variantDir, { recursive: true, force: true });
    fs.mkdirSync(variantDir, { recursive: true });
    fs.copyFileSync(path.join(chaincodeDir, 'package.json'), path.join(variantDir, 'package.json'));
    fs.cpSync(path.join(chaincodeDir, 'dist', 'src'), path.join(variantDir, 'dist', 'src'), { recursive: true });
    // The variant adds one contract, so only the upgraded code can answer `probe:Variant`.
    const marker = `variant-${String(Date.now())}`;
    fs.appendFileSync(
      path.join(variantDir, 'dist', 'src', 'index.js'),
      `\nclass ProbeContract extends require('fabric-contract-api').Contract {\n` +
        `  constructor() { super('probe'); }\n  async Variant() { return '${marker}'; }\n}\n` +
        `module.exports.contracts = [...module.exports.contracts, ProbeContract];\n`,
    );

    const asAdvertiser = open(advertiser);
    const before = await committedSequence();
    try {
      await runScript('deploy-chaincode.sh', [], { ADRECON_CHAINCODE_DIR: variantDir });
      expect(await committedSequence()).to.equal(before + 1);
      const answer = await eventually(async () =>
        utf8.decode(await asAdvertiser.contract.evaluateTransaction('probe:Variant')),
      );
      expect(answer).to.equal(marker);
    } finally {
      await runScript('deploy-chaincode.sh');
      fs.rmSync(variantDir, { recursive: true, force: true });
    }
    expect(await committedSequence()).to.equal(before + 2);
    await eventually(async () => {
      await asAdvertiser.contract.evaluateTransaction('roles:ListRoles');
    });
    let probeError: unknown;
    try {
      await asAdvertiser.contract.evaluateTransaction('probe:Variant');
    } catch (err) {
      probeError = err;
    }
    expect(probeError, 'the original chaincode has no probe contract').to.be.instanceOf(Error);
  });
});
