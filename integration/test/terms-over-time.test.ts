import { expect } from 'chai';
import { campaignTerms, uniqueId } from './support/campaign-fixtures';
import { loadProfile } from './support/network-profile';
import { http } from './support/rest-gateway';
import { restGatewayForSuite } from './support/suite-rest-gateway';
import { acceptAsAgencyAndPublisher } from './support/rest-campaigns';

interface Envelope<T> {
  data: T;
  transactionId?: string;
}
interface Row {
  periodStart: string;
  status: string;
  cpmMicros: number;
  billableImpressions: number;
  amountMicros: number;
}

const DAY_MS = 86_400_000;

/** The UTC date `offset` days from today. */
function dateFromToday(offset: number): string {
  return new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + offset * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day `offset` days from today as a delivery report period. */
function dayFromToday(offset: number): { periodStart: string; periodEnd: string } {
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS + offset * DAY_MS;
  const instant = (ms: number) => new Date(ms).toISOString().replace('.000', '');
  return { periodStart: instant(start), periodEnd: instant(start + DAY_MS) };
}

/**
 * Issue 7 item 3 end to end over REST: the buyer side cannot void or reprice days a publisher already delivered,
 * neither by an amendment (it applies from its effective date only) nor by a cancellation (it ends the flight at its
 * date). The flight runs around today, since effective dates and billing periods are judged by transaction time.
 */
describe("terms over time on the real network: a publisher's delivered days keep their price", function () {
  this.timeout(180_000);
  const profile = loadProfile();
  const gateway = restGatewayForSuite();

  it('bills delivered days at their original price after a repricing amendment and after a cancellation', async () => {
    const base = campaignTerms(profile);
    const [lineItem] = base.lineItems;
    const terms = {
      ...base,
      // A window of 0 days: the days nobody reported before today no longer wait for a report.
      reportingWindowDays: 0,
      lineItems: [{ ...lineItem, flightStart: dateFromToday(-20), flightEnd: dateFromToday(30) }],
    };
    const { campaignId } = terms;
    const proposed = await http(gateway, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms });
    expect(proposed.status, proposed.text).to.equal(201);
    await acceptAsAgencyAndPublisher(gateway, campaignId);
    for (const [clientId, offset] of [
      ['publisher-operations', -10],
      ['agency-operations', -10],
      ['publisher-operations', -9],
      ['agency-operations', -9],
    ] as const) {
      const body = {
        reportId: uniqueId('r'),
        campaignId,
        lineItemId: 'li-1',
        ...dayFromToday(offset),
        impressions: 100_000,
        invalidImpressions: 0,
      };
      const res = await http(gateway, 'POST', '/delivery-reports', { clientId, body });
      expect(res.status, res.text).to.equal(201);
    }

    // The buyer side reprices the line item to 0 from today. The campaign stays ACTIVE while it awaits acceptance.
    const amendable: Record<string, unknown> = { ...terms };
    delete amendable.campaignId;
    delete amendable.advertiser;
    delete amendable.agency;
    const amendment = await http<Envelope<{ version: number; effectiveFrom: string }>>(
      gateway,
      'POST',
      `/campaigns/${campaignId}/amendments`,
      {
        clientId: 'advertiser-operations',
        body: { ...amendable, lineItems: [{ ...terms.lineItems[0], cpmMicros: 0 }] },
      },
    );
    expect(amendment.status, amendment.text).to.be.oneOf([200, 201]);
    expect(amendment.body.data).to.include({ version: 2, effectiveFrom: dateFromToday(0) });
    const during = await http<Envelope<{ status: string; version: number }>>(
      gateway,
      'GET',
      `/campaigns/${campaignId}`,
      {
        clientId: 'publisher-operations',
      },
    );
    expect(during.body.data).to.include({ status: 'ACTIVE', version: 1 });
    for (const clientId of ['agency-operations', 'publisher-operations']) {
      const accepted = await http(gateway, 'POST', `/campaigns/${campaignId}/acceptances`, {
        clientId,
        body: { version: 2 },
      });
      expect(accepted.status, accepted.text).to.be.oneOf([200, 201]);
    }
    const after = await http<Envelope<{ status: string; version: number; effectiveFrom: string }>>(
      gateway,
      'GET',
      `/campaigns/${campaignId}`,
      { clientId: 'publisher-operations' },
    );
    expect(after.body.data).to.include({ status: 'ACTIVE', version: 2, effectiveFrom: dateFromToday(0) });

    const rows = async () => {
      const res = await http<Envelope<{ rows: Row[] }>>(
        gateway,
        'GET',
        `/reports/reconciliation?campaignId=${campaignId}`,
        {
          clientId: 'publisher-finance',
        },
      );
      expect(res.status, res.text).to.equal(200);
      return res.body.data.rows.map((r) => [r.periodStart, r.status, r.cpmMicros, r.amountMicros]);
    };
    // 100,000 impressions at a CPM of 2.50 = 250.00 a day, before and after the amendment.
    const delivered = [
      [dayFromToday(-10).periodStart, 'WITHIN_TOLERANCE', 2_500_000, 250_000_000],
      [dayFromToday(-9).periodStart, 'WITHIN_TOLERANCE', 2_500_000, 250_000_000],
    ];
    expect(await rows()).to.deep.equal(delivered);

    // The buyer side cancels: the flight ends today, the delivered days stay billable at their price.
    const cancelled = await http<Envelope<{ status: string; cancelledOn: string }>>(
      gateway,
      'POST',
      `/campaigns/${campaignId}/cancellation`,
      { clientId: 'agency-operations', body: { reason: 'budget cut' } },
    );
    expect(cancelled.status, cancelled.text).to.be.oneOf([200, 201]);
    expect(cancelled.body.data).to.include({ status: 'CANCELLED', cancelledOn: dateFromToday(0) });
    expect(await rows()).to.deep.equal(delivered);
    const late = await http<{ error: { code: string } }>(gateway, 'POST', '/delivery-reports', {
      clientId: 'publisher-operations',
      body: {
        reportId: uniqueId('r'),
        campaignId,
        lineItemId: 'li-1',
        ...dayFromToday(1),
        impressions: 1,
        invalidImpressions: 0,
      },
    });
    expect(late.status, late.text).to.equal(422);
    expect(late.body.error.code).to.equal('INVALID_STATE');

    const invoice = await http<Envelope<{ amountMicros: number; billableImpressions: number }>>(
      gateway,
      'POST',
      '/invoices',
      {
        clientId: 'publisher-finance',
        body: {
          invoiceId: uniqueId('inv'),
          campaignId,
          lineItemId: 'li-1',
          periodStart: dateFromToday(-20),
          periodEnd: dateFromToday(-1),
        },
      },
    );
    expect(invoice.status, invoice.text).to.equal(201);
    expect(invoice.body.data).to.include({ billableImpressions: 200_000, amountMicros: 500_000_000 });
  });
});
