import { expect } from 'chai';
import type { ApiKeyEntry } from '../../../src/auth/api-keys';
import { assertOwnOrganizationKeys } from '../../../src/auth/organization-keys';

const entry = (clientId: string, mspId: string): ApiKeyEntry => ({
  clientId,
  mspId,
  role: 'operations',
  sha256: '0'.repeat(64),
});

describe('a gateway’s API keys', () => {
  it('may all belong to its organization', () => {
    expect(() => {
      assertOwnOrganizationKeys([entry('agency-operations', 'AgencyMSP')], 'AgencyMSP', 'keys.json');
    }).to.not.throw();
  });

  it('may not include another organization’s key, which is named', () => {
    const entries = [entry('agency-operations', 'AgencyMSP'), entry('publisher-finance', 'PublisherMSP')];
    expect(() => {
      assertOwnOrganizationKeys(entries, 'AgencyMSP', 'keys.json');
    }).to.throw(/keys\.json holds keys of other organizations than AgencyMSP: publisher-finance \(PublisherMSP\)/);
  });
});
