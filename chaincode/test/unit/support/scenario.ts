import { expect } from 'chai';
import type { Context } from 'fabric-contract-api';
import { BillingContract } from '../../../src/contracts/billing-contract.js';
import { CampaignsContract } from '../../../src/contracts/campaigns-contract.js';
import { DeliveryContract } from '../../../src/contracts/delivery-contract.js';
import { ReconciliationContract } from '../../../src/contracts/reconciliation-contract.js';
import { RolesContract } from '../../../src/contracts/roles-contract.js';
import { FakeNetwork, type Committed } from './fake-network.js';

export const ADV = 'AdvertiserMSP';
export const AGY = 'AgencyMSP';
export const PUB = 'PublisherMSP';
export const PUB2 = 'Publisher2MSP';
export const ADV2 = 'Advertiser2MSP';
export const AGY2 = 'Agency2MSP';
export const OUTSIDER = 'OutsiderMSP';

export const CAMPAIGN = 'cmp-1';

/** Campaign input with one line item per publisher (li-1 → PUB, li-2 → PUB2). */
export function campaignInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    campaignId: CAMPAIGN,
    name: 'Spring launch',
    advertiser: ADV,
    agency: AGY,
    currency: 'EUR',
    lineItems: [
      {
        lineItemId: 'li-1',
        publisher: PUB,
        cpmMicros: 2_500_000,
        bookedImpressions: 1_000_000,
        flightStart: '2026-03-01',
        flightEnd: '2026-03-31',
      },
      {
        lineItemId: 'li-2',
        publisher: PUB2,
        cpmMicros: 1_000_000,
        bookedImpressions: 500_000,
        flightStart: '2026-03-01',
        flightEnd: '2026-03-31',
      },
    ],
    ...overrides,
  };
}

/** The period of a UTC day of March 2026. */
export function day(d: number): { periodStart: string; periodEnd: string } {
  const start = new Date(Date.UTC(2026, 2, d)).toISOString().replace('.000', '');
  const end = new Date(Date.UTC(2026, 2, d + 1)).toISOString().replace('.000', '');
  return { periodStart: start, periodEnd: end };
}

/** The period of an hour of a day of March 2026. */
export function hour(d: number, h: number): { periodStart: string; periodEnd: string } {
  const start = new Date(Date.UTC(2026, 2, d, h)).toISOString().replace('.000', '');
  const end = new Date(Date.UTC(2026, 2, d, h + 1)).toISOString().replace('.000', '');
  return { periodStart: start, periodEnd: end };
}

let reportCounter = 0;

/** A report input for li-1 of the campaign. */
export function reportInput(
  period: { periodStart: string; periodEnd: string },
  impressions: number,
  invalidImpressions = 0,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  reportCounter++;
  return {
    reportId: `r-${reportCounter}`,
    campaignId: CAMPAIGN,
    lineItemId: 'li-1',
    ...period,
    impressions,
    invalidImpressions,
    ...overrides,
  };
}

/** Asserts that a transaction fails with a message starting with `code: `. */
export async function expectError(promise: Promise<unknown>, code: string, fragment?: string): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    expect(message.startsWith(`${code}: `), message).to.equal(true);
    if (fragment !== undefined) {
      expect(message).to.contain(fragment);
    }
    return message;
  }
  expect.fail(`expected ${code}, but the transaction succeeded`);
}

/** The five contracts over one fake network, with shortcuts for the usual set-up. */
export class Scenario {
  readonly net = new FakeNetwork();
  readonly roles = new RolesContract();
  readonly campaigns = new CampaignsContract();
  readonly delivery = new DeliveryContract();
  readonly reconciliation = new ReconciliationContract();
  readonly billing = new BillingContract();

  /** Runs one transaction as `mspId`, with the contracts' `beforeTransaction` hook first, as fabric-contract-api does. */
  as<T = unknown>(mspId: string, run: (ctx: Context) => Promise<string>): Promise<Committed<T>> {
    return this.net.invoke<T>(mspId, async (ctx) => {
      await this.roles.beforeTransaction(ctx);
      return run(ctx);
    });
  }

  async registerRoles(): Promise<void> {
    await this.as(ADV, (ctx) =>
      this.roles.SetRoles(
        ctx,
        JSON.stringify([
          { mspId: ADV, role: 'ADVERTISER' },
          { mspId: AGY, role: 'AGENCY' },
          { mspId: PUB, role: 'PUBLISHER' },
          { mspId: PUB2, role: 'PUBLISHER' },
          { mspId: ADV2, role: 'ADVERTISER' },
          { mspId: AGY2, role: 'AGENCY' },
        ]),
      ),
    );
  }

  async propose(overrides: Record<string, unknown> = {}, by = ADV): Promise<Committed<Record<string, unknown>>> {
    return this.as(by, (ctx) => this.campaigns.Propose(ctx, JSON.stringify(campaignInput(overrides))));
  }

  /** Roles, a proposed campaign and every acceptance: an ACTIVE campaign. */
  async activeCampaign(overrides: Record<string, unknown> = {}): Promise<void> {
    await this.registerRoles();
    await this.propose(overrides);
    for (const party of [AGY, PUB, PUB2]) {
      await this.as(party, (ctx) => this.campaigns.Accept(ctx, CAMPAIGN, '1'));
    }
  }

  submit<T = { report: Record<string, unknown>; created: boolean }>(
    mspId: string,
    report: Record<string, unknown>,
  ): Promise<Committed<T>> {
    return this.as<T>(mspId, (ctx) => this.delivery.Submit(ctx, JSON.stringify(report)));
  }

  /** First-party and third-party reports of li-1 for one day. */
  async bothSides(d: number, firstParty: number, thirdParty: number): Promise<void> {
    await this.submit(PUB, reportInput(day(d), firstParty));
    await this.submit(AGY, reportInput(day(d), thirdParty));
  }

  row(mspId: string, d: number, lineItemId = 'li-1'): Promise<Committed<Record<string, unknown>>> {
    return this.as(mspId, (ctx) => this.reconciliation.Get(ctx, CAMPAIGN, lineItemId, day(d).periodStart));
  }

  issue(
    invoiceId: string,
    periodStart = '2026-03-01',
    periodEnd = '2026-03-31',
    mspId = PUB,
  ): Promise<Committed<Record<string, unknown>>> {
    return this.as(mspId, (ctx) =>
      this.billing.IssueInvoice(
        ctx,
        JSON.stringify({ invoiceId, campaignId: CAMPAIGN, lineItemId: 'li-1', periodStart, periodEnd }),
      ),
    );
  }

  pay(
    mspId: string,
    paymentId: string,
    invoiceId: string,
    amountMicros: number,
  ): Promise<Committed<{ payment: Record<string, unknown>; invoice: Record<string, unknown> }>> {
    return this.as(mspId, (ctx) =>
      this.billing.RecordPayment(
        ctx,
        JSON.stringify({ paymentId, invoiceId, amountMicros, reference: `wire ${paymentId}` }),
      ),
    );
  }
}
