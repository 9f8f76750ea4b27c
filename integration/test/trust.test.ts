import { GatewayError } from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import { campaignTerms } from './support/campaign-fixtures';
import { startForgers, stopForgers } from './support/colluding-servers';
import { connectAs, evaluateJson, eventually, type OrgConnection } from './support/fabric-connection';
import { loadProfile, mspOf } from './support/network-profile';
import { runScript } from './support/network-scripts';

const VALID = 0;
const ENDORSEMENT_POLICY_FAILURE = 10;
const MVCC_READ_CONFLICT = 11;
const utf8 = new TextDecoder();

/** Everything a Fabric error says, including each endorsing peer's chaincode message. */
function errorText(err: unknown): string {
  if (err instanceof GatewayError) return [err.message, ...err.details.map((d) => d.message)].join(' | ');
  return err instanceof Error ? err.message : String(err);
}

async function rejection(operation: () => Promise<unknown>): Promise<string> {
  try {
    await operation();
  } catch (err) {
    return errorText(err);
  }
  throw new Error('the operation succeeded but was expected to fail');
}

/** One forged write of the attacker chaincode: a composite key and its new JSON value (null deletes it). */
interface ForgedWrite {
  type: string;
  attributes: string[];
  value: unknown;
}

describe('trust rules on the real network: no party can cheat another', function () {
  this.timeout(300_000);
  const profile = loadProfile();
  const advertiserMsp = mspOf(profile, 'ADVERTISER');
  const agencyMsp = mspOf(profile, 'AGENCY');
  const publisherMsp = mspOf(profile, 'PUBLISHER');
  let advertiser: OrgConnection;
  let agency: OrgConnection;
  let publisher: OrgConnection;

  before(() => {
    advertiser = connectAs(profile, advertiserMsp);
    agency = connectAs(profile, agencyMsp);
    publisher = connectAs(profile, publisherMsp);
  });
  after(() => {
    [advertiser, agency, publisher].forEach((c) => {
      c.close();
    });
  });

  it('refuses a publisher relabelling the advertiser through roles:SetRoles (FORBIDDEN)', async () => {
    const text = await rejection(() =>
      publisher.contract.submitTransaction(
        'roles:SetRoles',
        JSON.stringify([{ mspId: advertiserMsp, role: 'PUBLISHER' }]),
      ),
    );
    expect(text).to.match(/FORBIDDEN: organization \S+ is registered as ADVERTISER/);
    const role = await evaluateJson<{ role: string }>(agency, 'roles:GetRole', advertiserMsp);
    expect(role.role).to.equal('ADVERTISER');
  });

  it('two parties accepting a campaign at once: one commits, the other gets MVCC_READ_CONFLICT, never code 10', async () => {
    const terms = campaignTerms(profile);
    await advertiser.contract.submitTransaction('campaigns:Propose', JSON.stringify(terms));
    // Both acceptances are endorsed against the same state, then submitted together so that they share a block.
    const endorsed = await Promise.all(
      [agency, publisher].map((conn) =>
        conn.contract.newProposal('campaigns:Accept', { arguments: [terms.campaignId, '1'] }).endorse(),
      ),
    );
    const commits = await Promise.all(endorsed.map((t) => t.submit()));
    const statuses = await Promise.all(commits.map((c) => c.getStatus()));
    const codes = statuses.map((st) => st.code).sort();
    expect(codes).to.not.include(ENDORSEMENT_POLICY_FAILURE);
    expect(codes.filter((c) => c === VALID)).to.have.length.at.least(1);
    expect(
      codes.every((c) => c === VALID || c === MVCC_READ_CONFLICT),
      `codes ${codes.join(',')}`,
    ).to.equal(true);
    const stored = await evaluateJson<{ acceptances: unknown[] }>(advertiser, 'campaigns:Get', terms.campaignId);
    expect(stored.acceptances).to.have.length(1 + codes.filter((c) => c === VALID).length);
  });

  describe('colluding organizations running a chaincode server that skips every check', () => {
    const colluders = ['publisher', 'agency'];

    /** Submits forged writes endorsed by exactly the publisher and the agency (a MAJORITY of the channel). */
    async function forge(writes: ForgedWrite[]): Promise<{ successful: boolean; code: number }> {
      const proposal = publisher.contract.newProposal('forge:Write', {
        arguments: [JSON.stringify(writes)],
        endorsingOrganizations: [publisherMsp, agencyMsp],
      });
      const transaction = await eventually(() => proposal.endorse(), 30_000);
      expect(utf8.decode(transaction.getResult())).to.equal(JSON.stringify({ written: writes.length }));
      const status = await (await transaction.submit()).getStatus();
      return { successful: status.successful, code: status.code };
    }

    before(async () => {
      await startForgers(colluders);
    });
    after(async () => {
      await stopForgers(colluders);
      // Restores the organizations' real chaincode servers (deploy keeps one per organization running).
      await runScript('deploy-chaincode.sh');
    });

    it('commits a forged relabelling of the advertiser as ENDORSEMENT_POLICY_FAILURE: the role key needs the advertiser', async () => {
      const status = await forge([
        { type: 'adrecon.role', attributes: [advertiserMsp], value: { mspId: advertiserMsp, role: 'PUBLISHER' } },
      ]);
      expect(status).to.deep.equal({ successful: false, code: ENDORSEMENT_POLICY_FAILURE });
      const role = await evaluateJson<{ role: string }>(advertiser, 'roles:GetRole', advertiserMsp);
      expect(role.role).to.equal('ADVERTISER');
    });
  });
});
