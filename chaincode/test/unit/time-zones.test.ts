import { expect } from 'chai';
import fc from 'fast-check';
import { campaignProposalSchema, timeZoneRules, timeZoneSchema, ZoneCalendar } from '@adrecon/contract';
import { ReportPeriod } from '../../src/domain/report-period.js';
import {
  ADV,
  AGY,
  CAMPAIGN,
  PUB,
  PUB2,
  Scenario,
  campaignInput,
  expectError,
  reportInput,
} from './support/scenario.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const YEAR_2026_DAY_MS = Date.UTC(2026, 0, 1);

/** The days of 2026 whose length is not 24 hours in each zone, by the pinned tz rules. */
const DST_DAYS_2026: Record<string, Record<string, number>> = {
  'America/New_York': { '2026-03-08': 23, '2026-11-01': 25 },
  'Europe/Berlin': { '2026-03-29': 23, '2026-10-25': 25 },
  UTC: {},
};

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A period of `hours` hours from `startIso`. */
function periodOf(startIso: string, hours: number): { periodStart: string; periodEnd: string } {
  const start = Date.parse(startIso);
  return { periodStart: iso(start), periodEnd: iso(start + hours * HOUR_MS) };
}

/** li-1 of the usual campaign with other terms, li-2 unchanged. */
function lineItems(terms: Record<string, unknown>): Record<string, unknown>[] {
  return (campaignInput().lineItems as Record<string, unknown>[]).map((item) =>
    item.lineItemId === 'li-1' ? { ...item, ...terms } : item,
  );
}

describe('reporting time zones', () => {
  describe('the zone calendar (tz rules pinned in @adrecon/contract)', () => {
    for (const [zone, odd] of Object.entries(DST_DAYS_2026)) {
      it(`${zone}: every day of 2026 is 24 hours but for its daylight-saving changes (23 h in spring, 25 h in autumn)`, () => {
        const calendar = ZoneCalendar.of(zone);
        let totalHours = 0;
        const unusual: Record<string, number> = {};
        for (let d = 0; d < 365; d++) {
          const dayMs = YEAR_2026_DAY_MS + d * DAY_MS;
          const hours = calendar.hoursOf(dayMs);
          totalHours += hours;
          if (hours !== 24) unusual[new Date(dayMs).toISOString().slice(0, 10)] = hours;
        }
        expect(unusual).to.deep.equal(odd);
        expect(totalHours).to.equal(365 * 24);
      });
    }

    it('puts every instant in exactly one day, which starts at or before it and ends after it (property)', () => {
      const zones = fc.constantFrom('America/New_York', 'Europe/Berlin', 'UTC', 'Asia/Kolkata', 'Australia/Sydney');
      const instants = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) });
      fc.assert(
        fc.property(zones, instants, (zone, ms) => {
          const calendar = ZoneCalendar.of(zone);
          const dayMs = calendar.dayOf(ms);
          expect(dayMs % DAY_MS).to.equal(0);
          expect(calendar.startOf(dayMs)).to.be.at.most(ms);
          expect(calendar.startOf(dayMs + DAY_MS)).to.be.greaterThan(ms);
          expect(calendar.dayOf(calendar.startOf(dayMs))).to.equal(dayMs);
        }),
        { numRuns: 500 },
      );
    });

    it('New York days start at 05:00Z in winter and 04:00Z in summer; the hours of a 23- and a 25-hour day', () => {
      const ny = ZoneCalendar.of('America/New_York');
      expect(iso(ny.startOf(Date.UTC(2026, 2, 8)))).to.equal('2026-03-08T05:00:00Z');
      expect(iso(ny.startOf(Date.UTC(2026, 2, 9)))).to.equal('2026-03-09T04:00:00Z');
      expect(iso(ny.startOf(Date.UTC(2026, 10, 1)))).to.equal('2026-11-01T04:00:00Z');
      expect(iso(ny.startOf(Date.UTC(2026, 10, 2)))).to.equal('2026-11-02T05:00:00Z');
      const berlin = ZoneCalendar.of('Europe/Berlin');
      expect(iso(berlin.startOf(Date.UTC(2026, 2, 29)))).to.equal('2026-03-28T23:00:00Z');
      expect(iso(berlin.startOf(Date.UTC(2026, 9, 26)))).to.equal('2026-10-25T23:00:00Z');
    });

    it('reports the pinned tz database: version, digest of the rules and offsets around four changes', () => {
      const rules = timeZoneRules();
      expect(rules.tzdbVersion).to.equal('2026a');
      expect(rules.rulesSha256).to.match(/^[0-9a-f]{64}$/);
      expect(rules.zoneNames).to.be.greaterThan(500);
      expect(rules.probes.map((p) => [p.timeZone, p.offsetBeforeSeconds, p.offsetAfterSeconds])).to.deep.equal([
        ['America/New_York', -18_000, -14_400],
        ['America/New_York', -14_400, -18_000],
        ['Europe/Berlin', 3_600, 7_200],
        ['Europe/Berlin', 7_200, 3_600],
      ]);
    });
  });

  describe('report periods in a zone', () => {
    const ny = ZoneCalendar.of('America/New_York');

    it('a day is the zone day, 23 or 25 hours at a change; a UTC day or a 24-hour span is refused there', () => {
      const spring = ReportPeriod.parse('2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', ny);
      expect(spring).to.include({ granularity: 'DAY', day: '2026-03-08T05:00:00Z', dayMs: Date.UTC(2026, 2, 8) });
      const autumn = ReportPeriod.parse('2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', ny);
      expect(autumn).to.include({ granularity: 'DAY', dayMs: Date.UTC(2026, 10, 1) });
      expect(() => ReportPeriod.parse('2026-03-08T05:00:00Z', '2026-03-09T05:00:00Z', ny)).to.throw(
        /VALIDATION_FAILED: .*time zone America\/New_York/,
      );
      expect(() => ReportPeriod.parse('2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z', ny)).to.throw(
        /VALIDATION_FAILED/,
      );
    });

    it('the hours of a 23-hour and a 25-hour day all belong to that day, and the next hour to the next day', () => {
      for (const [startIso, hours, dayMs] of [
        ['2026-03-08T05:00:00Z', 23, Date.UTC(2026, 2, 8)],
        ['2026-11-01T04:00:00Z', 25, Date.UTC(2026, 10, 1)],
      ] as const) {
        const start = Date.parse(startIso);
        for (let h = 0; h < hours; h++) {
          const period = ReportPeriod.parse(iso(start + h * HOUR_MS), iso(start + (h + 1) * HOUR_MS), ny);
          expect(period).to.include({ granularity: 'HOUR', dayMs, day: startIso });
        }
        const next = ReportPeriod.parse(iso(start + hours * HOUR_MS), iso(start + (hours + 1) * HOUR_MS), ny);
        expect(next.dayMs).to.equal(dayMs + DAY_MS);
      }
    });

    it('in a half-hour zone an hour starts on a local whole hour', () => {
      const kolkata = ZoneCalendar.of('Asia/Kolkata');
      expect(ReportPeriod.parse('2026-03-08T04:30:00Z', '2026-03-08T05:30:00Z', kolkata).granularity).to.equal('HOUR');
      expect(() => ReportPeriod.parse('2026-03-08T04:00:00Z', '2026-03-08T05:00:00Z', kolkata)).to.throw(
        /VALIDATION_FAILED/,
      );
    });
  });

  describe('the campaign terms', () => {
    it('default to UTC, accept an IANA name of the pinned data, refuse others', () => {
      expect(campaignProposalSchema.parse(campaignInput()).timeZone).to.equal('UTC');
      expect(campaignProposalSchema.parse(campaignInput({ timeZone: 'America/New_York' })).timeZone).to.equal(
        'America/New_York',
      );
      for (const bad of ['Mars/Olympus_Mons', '+05:00', 'EST5EDT ', '', 42]) {
        expect(timeZoneSchema.safeParse(bad).success, String(bad)).to.equal(false);
      }
    });
  });

  describe('on the ledger, a campaign in America/New_York', () => {
    async function newYorkCampaign(terms: Record<string, unknown>): Promise<Scenario> {
      const s = new Scenario();
      s.net.setTime('2026-02-20T12:00:00Z');
      await s.activeCampaign({ timeZone: 'America/New_York', lineItems: lineItems(terms) });
      return s;
    }

    it('sums the 23 hourly reports of the spring-forward day into one row of that New York day', async () => {
      const s = await newYorkCampaign({ flightStart: '2026-03-08', flightEnd: '2026-03-08' });
      const start = Date.parse('2026-03-08T05:00:00Z');
      const hours = Array.from({ length: 23 }, (_, h) => periodOf(iso(start + h * HOUR_MS), 1));
      const batch = (count: number) => JSON.stringify(hours.map((period) => reportInput(period, count)));
      await s.as(PUB, (ctx) => s.delivery.SubmitBatch(ctx, batch(100)));
      await s.as(AGY, (ctx) => s.delivery.SubmitBatch(ctx, batch(98)));
      const { result: row } = await s.as(ADV, (ctx) =>
        s.reconciliation.Get(ctx, CAMPAIGN, 'li-1', '2026-03-08T05:00:00Z'),
      );
      expect(row).to.include({
        timeZone: 'America/New_York',
        day: '2026-03-08',
        periodStart: '2026-03-08T05:00:00Z',
        periodEnd: '2026-03-09T04:00:00Z',
        firstPartyImpressions: 2_300,
        thirdPartyImpressions: 2_254,
        status: 'WITHIN_TOLERANCE',
      });
      // The UTC day start names no New York day.
      await expectError(
        s.as(ADV, (ctx) => s.reconciliation.Get(ctx, CAMPAIGN, 'li-1', '2026-03-08T00:00:00Z')),
        'RECONCILIATION_NOT_FOUND',
      );
    });

    it('takes the flight in New York days: 02:00Z on 8 March is still 7 March there, outside the flight', async () => {
      const s = await newYorkCampaign({ flightStart: '2026-03-08', flightEnd: '2026-03-08' });
      await expectError(s.submit(PUB, reportInput(periodOf('2026-03-08T02:00:00Z', 1), 10)), 'INVALID_STATE', 'flight');
      await expectError(s.submit(PUB, reportInput(periodOf('2026-03-09T04:00:00Z', 1), 10)), 'INVALID_STATE', 'flight');
      await s.submit(PUB, reportInput(periodOf('2026-03-09T03:00:00Z', 1), 10));
    });

    it('the 25-hour autumn day: a daily report of 25 hours, the billing period ends at New York midnight', async () => {
      const s = await newYorkCampaign({ flightStart: '2026-11-01', flightEnd: '2026-11-01' });
      s.net.setTime('2026-10-20T12:00:00Z');
      const autumn = periodOf('2026-11-01T04:00:00Z', 25);
      await s.submit(PUB, reportInput(autumn, 5_000));
      await s.submit(AGY, reportInput(autumn, 4_900));
      s.net.setTime('2026-11-02T04:59:59Z');
      await expectError(s.issue('inv-ny', '2026-11-01', '2026-11-01'), 'INVALID_STATE', 'has not ended');
      s.net.setTime('2026-11-02T05:00:00Z');
      const { result: invoice } = await s.issue('inv-ny', '2026-11-01', '2026-11-01');
      // Issued on 2 November in New York: net 30 is due on 2 December.
      expect(invoice).to.include({ billableImpressions: 4_900, amountMicros: 12_250_000, dueDate: '2026-12-02' });
      expect((invoice as { periods: { periodStart: string }[] }).periods[0]?.periodStart).to.equal(
        '2026-11-01T04:00:00Z',
      );
    });

    it('closes a reporting window at New York midnight, 7 days after the day', async () => {
      const s = await newYorkCampaign({ flightStart: '2026-03-08', flightEnd: '2026-03-08' });
      await s.submit(PUB, reportInput(periodOf('2026-03-08T05:00:00Z', 23), 1_000));
      const get = () => s.as(ADV, (ctx) => s.reconciliation.Get(ctx, CAMPAIGN, 'li-1', '2026-03-08T05:00:00Z'));
      s.net.setTime('2026-03-16T03:59:59Z');
      expect((await get()).result).to.include({ billingBasis: 'NONE' });
      s.net.setTime('2026-03-16T04:00:00Z');
      expect((await get()).result).to.include({ billingBasis: 'FIRST_PARTY_ONLY', billableImpressions: 1_000 });
    });

    it('keeps the zone through an amendment and refuses one that names a zone', async () => {
      const s = await newYorkCampaign({});
      const terms = { ...campaignInput(), campaignId: undefined, advertiser: undefined, agency: undefined };
      await expectError(
        s.as(ADV, (ctx) => s.campaigns.Amend(ctx, CAMPAIGN, JSON.stringify({ ...terms, timeZone: 'UTC' }))),
        'VALIDATION_FAILED',
      );
      const { result } = await s.as(ADV, (ctx) => s.campaigns.Amend(ctx, CAMPAIGN, JSON.stringify(terms)));
      expect(result).to.include({ timeZone: 'America/New_York', version: 2 });
      for (const party of [AGY, PUB, PUB2]) {
        await s.as(party, (ctx) => s.campaigns.Accept(ctx, CAMPAIGN, '2'));
      }
      const { result: current } = await s.as(ADV, (ctx) => s.campaigns.Get(ctx, CAMPAIGN));
      expect(current).to.include({ timeZone: 'America/New_York', version: 2, status: 'ACTIVE' });
    });

    it('answers campaigns:TimeZoneRules with the pinned rules', async () => {
      const s = new Scenario();
      const { result } = await s.as(PUB, () => s.campaigns.TimeZoneRules());
      expect(result).to.deep.equal(timeZoneRules());
    });
  });
});
