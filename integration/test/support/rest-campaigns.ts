import { expect } from 'chai';
import { http, type RestGateway } from './rest-gateway';

/**
 * The agency's and the publisher's operations users accept version 1 of a proposed one-publisher campaign, each
 * through its own organization's gateway; fails the test unless each acceptance answers 200 or 201.
 */
export async function acceptAsAgencyAndPublisher(gateway: RestGateway, campaignId: string): Promise<void> {
  for (const clientId of ['agency-operations', 'publisher-operations']) {
    const accepted = await http(gateway, 'POST', `/campaigns/${campaignId}/acceptances`, {
      clientId,
      body: { version: 1 },
    });
    expect(accepted.status, accepted.text).to.be.oneOf([200, 201]);
  }
}
