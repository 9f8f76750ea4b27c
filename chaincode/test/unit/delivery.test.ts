import { hashLeaf, MerkleTree, encodeImpressionRecord } from '@adrecon/merkle';
import { expect } from 'chai';
import {
  ADV,
  ADV2,
  AGY,
  CAMPAIGN,
  PUB,
  PUB2,
  Scenario,
  day,
  expectError,
  hour,
  reportInput,
} from './support/scenario.js';
import { decodePolicy } from './support/policy.js';

interface Report {
  reportId: string;
  source: string;
  reporter: string;
  reportedAt: string;
  txId: string;
  lineItemId: string;
}

describe('delivery contract', () => {
  describe('Submit', () => {
    it('records a first-party report with its own key, an id index and a line-item endorsement policy', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      s.net.setTime('2026-03-02T01:00:00Z');
      const input = reportInput(day(1), 1000, 10, { viewableImpressions: 700 });
      // The enrolled user who signs: recorded next to the organization.
      s.net.attributes.set('hf.EnrollmentID', 'publisher-ops-7');
      const { result, events, txId } = await s.submit<{ report: Report; created: boolean }>(PUB, input);
      expect(result.created).to.equal(true);
      expect(result.report).to.deep.equal({
        ...input,
        source: 'FIRST_PARTY',
        reporter: PUB,
        reportedBy: { mspId: PUB, enrollmentId: 'publisher-ops-7' },
        reportedAt: '2026-03-02T01:00:00.000Z',
        txId,
        // The start of the report's day in the campaign's zone (UTC here): the day's key.
        day: day(1).periodStart,
      });
      expect(events).to.deep.equal([
        {
          name: 'DeliveryReported',
          payload: {
            campaignId: CAMPAIGN,
            lineItemId: 'li-1',
            periodStart: day(1).periodStart,
            reportId: input.reportId,
            reporter: PUB,
            source: 'FIRST_PARTY',
            parties: [ADV, AGY, PUB].sort(),
          },
        },
      ]);
      const stub = s.net.context(ADV).ctx.stub;
      const reportKey = stub.createCompositeKey('adrecon.report', [
        CAMPAIGN,
        'li-1',
        day(1).periodStart,
        'DAY',
        day(1).periodStart,
        'FIRST_PARTY',
        PUB,
        String(input.reportId),
      ]);
      expect(s.net.read(reportKey)).to.deep.equal(result.report);
      expect(decodePolicy(s.net.policies.get(reportKey)!).orgs).to.deep.equal([ADV, AGY, PUB].sort());
      const indexKey = stub.createCompositeKey('adrecon.reportById', [PUB, String(input.reportId)]);
      expect(decodePolicy(s.net.policies.get(indexKey)!).orgs).to.deep.equal([ADV, AGY, PUB].sort());
    });

    it('records a third-party report from the agency; the event carries no status, the row follows both sides', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await s.submit(PUB, reportInput(day(3), 1000));
      const { result, events } = await s.submit<{ report: Report }>(AGY, reportInput(day(3), 950));
      expect(result.report.source).to.equal('THIRD_PARTY');
      expect(events[0]?.payload).to.include({ source: 'THIRD_PARTY', reporter: AGY });
      expect(events[0]?.payload).to.not.have.property('status');
      expect((await s.row(ADV, 3)).result).to.include({ status: 'WITHIN_TOLERANCE' });
    });

    it('is idempotent per reporter and reportId: same content no-op, other content CONFLICT', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const input = reportInput(day(1), 1000);
      await s.submit(PUB, input);
      const again = await s.submit<{ created: boolean }>(PUB, input);
      expect(again.result.created).to.equal(false);
      expect(again.events).to.deep.equal([]);
      await expectError(s.submit(PUB, { ...input, impressions: 1001 }), 'CONFLICT');
      const sameIdOtherReporter = await s.submit<{ created: boolean }>(AGY, input);
      expect(sameIdOtherReporter.result.created).to.equal(true);
    });

    describe('read and write sets (what a concurrent transaction can conflict with)', () => {
      type Stub = NonNullable<Scenario['net']['lastStub']>;
      const pointReads = (stub: Stub) =>
        stub.getState.getCalls().map((c) => {
          const { objectType, attributes } = stub.splitCompositeKey(c.args[0]);
          return [objectType, attributes];
        });
      const ranges = (stub: Stub) => stub.getStateByPartialCompositeKey.getCalls().map((c) => c.args);
      // The line item's terms record the campaign refers to (its own key, in the line item's collection).
      const termsIdOf = (s: Scenario, lineItemId: string) => {
        const record = s.net.read(s.net.context(ADV).ctx.stub.createCompositeKey('adrecon.campaign', [CAMPAIGN])) as {
          lineItems: { lineItemId: string; termsId: string }[];
        };
        return record.lineItems.find((i) => i.lineItemId === lineItemId)?.termsId;
      };
      const writes = (stub: Stub) => stub.putState.getCalls().map((c) => stub.splitCompositeKey(c.args[0]).objectType);
      const noOtherReads = (stub: Stub) => {
        expect(stub.getStateByRange.called).to.equal(false);
        expect(stub.getStateByPartialCompositeKeyWithPagination.called).to.equal(false);
        expect(stub.getQueryResult.called).to.equal(false);
        expect(stub.getHistoryForKey.called).to.equal(false);
      };

      it('an hourly report point-reads campaign, role, id index and resolution, and ranges only over the invoice index and the DAY reports of its day', async () => {
        const s = new Scenario();
        await s.activeCampaign();
        await s.submit(PUB, reportInput(day(1), 10));
        await s.submit(PUB, reportInput(hour(2, 6), 10));
        await s.submit(AGY, reportInput(day(2), 10));
        const input = reportInput(hour(2, 7), 10);
        await s.submit(PUB, input);
        const stub = s.net.lastStub!;
        expect(pointReads(stub)).to.deep.equal([
          ['adrecon.campaign', [CAMPAIGN]],
          ['adrecon.lineItemTerms', [CAMPAIGN, 'li-1', termsIdOf(s, 'li-1')]],
          ['adrecon.role', [PUB]],
          ['adrecon.reportById', [PUB, String(input.reportId)]],
          ['adrecon.resolution', [CAMPAIGN, 'li-1', day(2).periodStart]],
          ['adrecon.count', [CAMPAIGN, 'li-1', day(2).periodStart, 'HOUR', hour(2, 7).periodStart, 'FIRST_PARTY']],
        ]);
        expect(ranges(stub)).to.deep.equal([
          ['adrecon.invoiceByLineItem', [CAMPAIGN, 'li-1']],
          ['adrecon.count', [CAMPAIGN, 'li-1', day(2).periodStart, 'DAY']],
        ]);
        expect(ranges(stub).some(([, attributes]) => attributes.includes('HOUR'))).to.equal(false);
        noOtherReads(stub);
        expect(writes(stub)).to.deep.equal(['adrecon.report', 'adrecon.reportById', 'adrecon.count']);
        const reportKey = stub.putState.getCall(0).args[0];
        expect(stub.splitCompositeKey(reportKey).attributes).to.deep.equal([
          CAMPAIGN,
          'li-1',
          day(2).periodStart,
          'HOUR',
          hour(2, 7).periodStart,
          'FIRST_PARTY',
          PUB,
          String(input.reportId),
        ]);
      });

      it('a daily report ranges only over the HOUR reports of its day, never over the DAY reports it shares with the other side', async () => {
        const s = new Scenario();
        await s.activeCampaign();
        await s.submit(PUB, reportInput(day(2), 10));
        const input = reportInput(day(2), 10);
        await s.submit(AGY, input);
        const stub = s.net.lastStub!;
        expect(pointReads(stub)).to.deep.equal([
          ['adrecon.campaign', [CAMPAIGN]],
          ['adrecon.lineItemTerms', [CAMPAIGN, 'li-1', termsIdOf(s, 'li-1')]],
          ['adrecon.role', [AGY]],
          ['adrecon.reportById', [AGY, String(input.reportId)]],
          ['adrecon.resolution', [CAMPAIGN, 'li-1', day(2).periodStart]],
          ['adrecon.count', [CAMPAIGN, 'li-1', day(2).periodStart, 'DAY', day(2).periodStart, 'THIRD_PARTY']],
        ]);
        expect(ranges(stub)).to.deep.equal([
          ['adrecon.invoiceByLineItem', [CAMPAIGN, 'li-1']],
          ['adrecon.count', [CAMPAIGN, 'li-1', day(2).periodStart, 'HOUR']],
        ]);
        expect(ranges(stub).some(([, attributes]) => attributes.includes('DAY'))).to.equal(false);
        noOtherReads(stub);
        expect(writes(stub)).to.deep.equal(['adrecon.report', 'adrecon.reportById', 'adrecon.count']);
      });

      it('an idempotent repeat reads the report the index points to and writes nothing', async () => {
        const s = new Scenario();
        await s.activeCampaign();
        const input = reportInput(hour(2, 7), 10);
        const first = await s.submit<{ report: Report }>(PUB, input);
        await s.submit(PUB, input);
        const stub = s.net.lastStub!;
        expect(pointReads(stub).map(([type]) => type)).to.deep.equal([
          'adrecon.campaign',
          'adrecon.lineItemTerms',
          'adrecon.role',
          'adrecon.reportById',
          'adrecon.report',
        ]);
        expect(ranges(stub)).to.deep.equal([]);
        expect(writes(stub)).to.deep.equal([]);
        expect(first.result.report.reportId).to.equal(input.reportId);
      });

      it("concurrent hourly reports of one day and both sides' daily reports never write into each other's reads", async () => {
        const s = new Scenario();
        await s.activeCampaign();
        // Each transaction's reads and writes, as Fabric's validator sees them (keys and range prefixes).
        const footprint = async (mspId: string, input: ReturnType<typeof reportInput>) => {
          await s.submit(mspId, input);
          const stub = s.net.lastStub!;
          return {
            points: stub.getState.getCalls().map((c) => c.args[0]),
            prefixes: ranges(stub).map(([type, attributes]) => stub.createCompositeKey(type, attributes)),
            writes: stub.putState.getCalls().map((c) => c.args[0]),
          };
        };
        const txs = [
          await footprint(PUB, reportInput(hour(2, 7), 10)),
          await footprint(PUB, reportInput(hour(2, 8), 10)),
          await footprint(AGY, reportInput(hour(2, 7), 10)),
          await footprint(PUB, reportInput(day(3), 10)),
          await footprint(AGY, reportInput(day(3), 10)),
        ];
        for (const [i, reader] of txs.entries()) {
          for (const [j, writer] of txs.entries()) {
            if (i === j) continue;
            for (const key of writer.writes) {
              expect(reader.points, `tx ${i} point-reads a key tx ${j} writes`).to.not.include(key);
              expect(
                reader.prefixes.filter((p) => key.startsWith(p)),
                `tx ${i} range-reads a key tx ${j} writes`,
              ).to.deep.equal([]);
            }
          }
        }
        // The checks that must still conflict do: a report of day 2 ranges over the line item's invoice index.
        expect(txs[0]?.prefixes).to.include(
          s.net.lastStub!.createCompositeKey('adrecon.invoiceByLineItem', [CAMPAIGN, 'li-1']),
        );
      });

      it('a batch reads each range once per line item and day', async () => {
        const s = new Scenario();
        await s.activeCampaign();
        const inputs = [0, 1, 2].map((h) => reportInput(hour(4, h), 10));
        await s.as(PUB, (ctx) => s.delivery.SubmitBatch(ctx, JSON.stringify(inputs)));
        const stub = s.net.lastStub!;
        expect(ranges(stub)).to.deep.equal([
          ['adrecon.invoiceByLineItem', [CAMPAIGN, 'li-1']],
          ['adrecon.count', [CAMPAIGN, 'li-1', day(4).periodStart, 'DAY']],
        ]);
        expect(pointReads(stub).filter(([type]) => type === 'adrecon.resolution')).to.have.length(1);
      });
    });

    it("sums one side's hours of a day; a new report of a period it already reported restates it, never adds", async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await s.submit(PUB, reportInput(hour(5, 0), 100, 10));
      const first = await s.submit<{ report: Report }>(PUB, reportInput(hour(5, 1), 200));
      const restated = await s.submit<{ report: Report & { restates?: string } }>(PUB, reportInput(hour(5, 1), 50));
      expect(restated.result.report.restates).to.equal(first.result.report.reportId);
      await s.submit(AGY, reportInput(day(5), 300));
      // A client retry with a new reportId: a restatement of the same count, not a double count.
      await s.submit(AGY, reportInput(day(5), 300));
      const { result } = await s.row(ADV, 5);
      expect(result).to.include({ firstPartyImpressions: 140, thirdPartyImpressions: 300 });
      // The replaced report stays readable, and the period's count key keeps every restatement in its history.
      const old = await s.as<Report & { impressions: number }>(ADV, (ctx) =>
        s.delivery.Get(ctx, PUB, first.result.report.reportId),
      );
      expect(old.result.impressions).to.equal(200);
      const countKey = s.net
        .context(ADV)
        .ctx.stub.createCompositeKey('adrecon.count', [
          CAMPAIGN,
          'li-1',
          day(5).periodStart,
          'HOUR',
          hour(5, 1).periodStart,
          'FIRST_PARTY',
        ]);
      expect(s.net.history.get(countKey)?.length).to.equal(2);
    });

    it('restates within one batch too (the later report of a period wins) and refuses a restatement once invoiced', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await s.as(PUB, (ctx) =>
        s.delivery.SubmitBatch(ctx, JSON.stringify([reportInput(day(5), 70), reportInput(day(5), 60)])),
      );
      await s.submit(AGY, reportInput(day(5), 60));
      expect((await s.row(ADV, 5)).result).to.include({ firstPartyImpressions: 60, status: 'WITHIN_TOLERANCE' });
      s.net.setTime('2026-03-07T00:00:00Z');
      await s.issue('inv-1', '2026-03-05', '2026-03-05');
      await expectError(s.submit(PUB, reportInput(day(5), 1_000_000)), 'INVALID_STATE', 'already invoiced');
      expect((await s.row(ADV, 5)).result).to.include({ firstPartyImpressions: 60, billableImpressions: 60 });
    });

    it('refuses one side mixing hourly and daily reports of one day', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await s.submit(PUB, reportInput(hour(6, 3), 100));
      await expectError(s.submit(PUB, reportInput(day(6), 100)), 'CONFLICT', 'mix hourly and daily');
      await s.submit(AGY, reportInput(day(7), 100));
      await expectError(s.submit(AGY, reportInput(hour(7, 3), 100)), 'CONFLICT');
    });

    it('checks periods: one aligned UTC hour or day inside the flight', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const bad = (periodStart: string, periodEnd: string) => reportInput({ periodStart, periodEnd }, 1);
      await expectError(
        s.submit(PUB, bad('2026-03-01T00:00:00Z', '2026-03-01T02:00:00Z')),
        'VALIDATION_FAILED',
        "one hour or one day of the campaign's time zone UTC",
      );
      await expectError(
        s.submit(PUB, bad('2026-03-01T00:30:00Z', '2026-03-01T01:30:00Z')),
        'VALIDATION_FAILED',
        'boundary',
      );
      await expectError(
        s.submit(PUB, bad('2026-03-01T12:00:00Z', '2026-03-02T12:00:00Z')),
        'VALIDATION_FAILED',
        'boundary',
      );
      await expectError(
        s.submit(PUB, bad('2026-02-28T00:00:00Z', '2026-03-01T00:00:00Z')),
        'INVALID_STATE',
        'outside the flight',
      );
      await expectError(
        s.submit(PUB, bad('2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z')),
        'INVALID_STATE',
        'outside the flight',
      );
      await expectError(s.submit(PUB, bad('2026-03-01', '2026-03-02')), 'VALIDATION_FAILED', 'instant');
      await expectError(s.submit(PUB, bad('2026-02-30T00:00:00Z', '2026-03-01T00:00:00Z')), 'VALIDATION_FAILED');
      const last = await s.submit<{ created: boolean }>(PUB, bad('2026-03-31T23:00:00.000Z', '2026-04-01T00:00:00Z'));
      expect(last.result.created).to.equal(true);
    });

    it('validates counts, Merkle fields and unknown fields', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const cases: [Record<string, unknown>, string][] = [
        [{ impressions: -1 }, 'report.impressions'],
        [{ impressions: 1.5 }, 'report.impressions'],
        [{ invalidImpressions: 20 }, 'must not exceed impressions'],
        [{ viewableImpressions: 11 }, 'must not exceed impressions'],
        [{ recordCount: 10 }, 'together'],
        [{ merkleRoot: 'a'.repeat(64) }, 'together'],
        [{ recordCount: 10, merkleRoot: 'A'.repeat(64) }, 'report.merkleRoot'],
        [{ reportId: 'bad id' }, 'report.reportId'],
        [{ amount: 1 }, 'report.amount: is not a known field'],
      ];
      for (const [overrides, fragment] of cases) {
        await expectError(s.submit(PUB, reportInput(day(2), 10, 0, overrides)), 'VALIDATION_FAILED', fragment);
      }
    });

    it('refuses the advertiser, another publisher, non-parties, unknown campaigns and line items', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await expectError(s.submit(ADV, reportInput(day(1), 1)), 'FORBIDDEN', 'may report');
      // Another publisher's line item reads as absent (issue 8 item 6).
      await expectError(s.submit(PUB2, reportInput(day(1), 1)), 'CAMPAIGN_NOT_FOUND', 'has no line item');
      await expectError(s.submit(ADV2, reportInput(day(1), 1)), 'CAMPAIGN_NOT_FOUND');
      await expectError(s.submit(PUB, reportInput(day(1), 1, 0, { campaignId: 'nope' })), 'CAMPAIGN_NOT_FOUND');
      await expectError(s.submit(PUB, reportInput(day(1), 1, 0, { lineItemId: 'li-9' })), 'CAMPAIGN_NOT_FOUND', 'li-9');
      await expectError(
        s.as(PUB, (ctx) => s.delivery.Submit(ctx, 'nope')),
        'VALIDATION_FAILED',
      );
    });

    it('refuses reports to a campaign that is not ACTIVE', async () => {
      const s = new Scenario();
      await s.registerRoles();
      await s.propose();
      await expectError(s.submit(PUB, reportInput(day(1), 1)), 'INVALID_STATE');
    });
  });

  describe('SubmitBatch', () => {
    it('records all reports in one transaction with one event', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const existing = reportInput(day(1), 5);
      await s.submit(AGY, existing);
      const batch = [existing, reportInput(day(2), 10), reportInput(day(3), 20, 0, { lineItemId: 'li-2' })];
      const { result, events } = await s.as<{ reports: Report[]; created: number }>(AGY, (ctx) =>
        s.delivery.SubmitBatch(ctx, JSON.stringify(batch)),
      );
      expect(result.created).to.equal(2);
      expect(result.reports.map((r) => r.source)).to.deep.equal(['THIRD_PARTY', 'THIRD_PARTY', 'THIRD_PARTY']);
      expect(events).to.have.length(1);
      expect(events[0]?.name).to.equal('DeliveryBatchReported');
      // Counts never go into an event: every peer's blocks hold them.
      expect(events[0]?.payload).to.not.have.property('created');
      expect(events[0]?.payload).to.deep.include({
        campaignId: CAMPAIGN,
        lineItemIds: ['li-1', 'li-2'],
        periodStart: batch[1]?.periodStart,
        parties: [ADV, AGY, PUB, PUB2].sort(),
      });
    });

    it('is all or nothing, naming the failing report', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const good = reportInput(day(2), 10);
      const bad = reportInput(day(2), 10, 0, { lineItemId: 'li-2' });
      await expectError(
        s.as(PUB, (ctx) => s.delivery.SubmitBatch(ctx, JSON.stringify([good, bad]))),
        'CAMPAIGN_NOT_FOUND',
        'reports[1]',
      );
      await expectError(
        s.as(PUB, (ctx) => s.delivery.Get(ctx, PUB, String(good.reportId))),
        'REPORT_NOT_FOUND',
      );
    });

    it('sees its own earlier items: duplicates and granularity clashes inside the batch', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const a = reportInput(day(2), 10);
      const dup = await s.as<{ created: number }>(PUB, (ctx) => s.delivery.SubmitBatch(ctx, JSON.stringify([a, a])));
      expect(dup.result.created).to.equal(1);
      await expectError(
        s.as(PUB, (ctx) =>
          s.delivery.SubmitBatch(ctx, JSON.stringify([reportInput(day(4), 1), { ...reportInput(hour(4, 1), 1) }])),
        ),
        'CONFLICT',
      );
      const b = reportInput(day(8), 10);
      await expectError(
        s.as(PUB, (ctx) => s.delivery.SubmitBatch(ctx, JSON.stringify([b, { ...b, impressions: 11 }]))),
        'CONFLICT',
      );
    });

    it('finds a granularity clash inside the batch in either order, and only on the same day', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await expectError(
        s.as(PUB, (ctx) =>
          s.delivery.SubmitBatch(ctx, JSON.stringify([reportInput(hour(5, 3), 1), reportInput(day(5), 1)])),
        ),
        'CONFLICT',
        'mix hourly and daily',
      );
      const apart = await s.as<{ created: number }>(PUB, (ctx) =>
        s.delivery.SubmitBatch(
          ctx,
          JSON.stringify([reportInput(hour(5, 3), 1), reportInput(day(6), 1), reportInput(hour(5, 4), 1)]),
        ),
      );
      expect(apart.result.created).to.equal(3);
    });

    it('validates the batch: array size and one campaign', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await expectError(
        s.as(PUB, (ctx) => s.delivery.SubmitBatch(ctx, '[]')),
        'VALIDATION_FAILED',
      );
      const many = Array.from({ length: 501 }, () => reportInput(day(1), 1));
      await expectError(
        s.as(PUB, (ctx) => s.delivery.SubmitBatch(ctx, JSON.stringify(many))),
        'VALIDATION_FAILED',
      );
      await expectError(
        s.as(PUB, (ctx) =>
          s.delivery.SubmitBatch(
            ctx,
            JSON.stringify([reportInput(day(1), 1), reportInput(day(1), 1, 0, { campaignId: 'c2' })]),
          ),
        ),
        'VALIDATION_FAILED',
        'one campaign',
      );
      await expectError(
        s.as(PUB, (ctx) => s.delivery.SubmitBatch(ctx, JSON.stringify([{ ...reportInput(day(1), 1), x: 1 }]))),
        'VALIDATION_FAILED',
        'reports.0.x',
      );
    });
  });

  describe('reads', () => {
    it('gets a report by reporter and id, for parties who may see its line item', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const input = reportInput(day(1), 10);
      await s.submit(PUB, input);
      const { result } = await s.as<Report>(AGY, (ctx) => s.delivery.Get(ctx, PUB, String(input.reportId)));
      expect(result.reportId).to.equal(input.reportId);
      await expectError(
        s.as(PUB2, (ctx) => s.delivery.Get(ctx, PUB, String(input.reportId))),
        'REPORT_NOT_FOUND',
      );
      await expectError(
        s.as(AGY, (ctx) => s.delivery.Get(ctx, PUB, 'missing')),
        'REPORT_NOT_FOUND',
      );
      await expectError(
        s.as(AGY, (ctx) => s.delivery.Get(ctx, 'bad msp!', 'x')),
        'VALIDATION_FAILED',
      );
    });

    it('returns the history of the report key with the transaction that wrote it, for whoever may Get it', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const input = reportInput(day(1), 10);
      s.net.setTime('2026-03-02T08:00:00Z');
      const submitted = await s.submit(PUB, input);
      await s.submit(PUB, input); // identical repeat: created false, nothing written
      const reportId = String(input.reportId);
      const { result } = await s.as<{ txId: string; timestamp: string; isDelete: boolean; value: Report }[]>(
        AGY,
        (ctx) => s.delivery.History(ctx, PUB, reportId),
      );
      expect(result).to.deep.equal([
        {
          txId: submitted.txId,
          timestamp: '2026-03-02T08:00:00.000Z',
          isDelete: false,
          value: submitted.result.report,
        },
      ]);
      expect(result[0]?.value).to.include({ reportId, reporter: PUB, txId: submitted.txId });
      const own = await s.as(PUB, (ctx) => s.delivery.History(ctx, PUB, reportId));
      expect(own.result).to.deep.equal(result);
    });

    it('refuses the history of unknown reports and to those who may not Get the report', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const input = reportInput(day(1), 10);
      await s.submit(PUB, input);
      const reportId = String(input.reportId);
      await expectError(
        s.as(AGY, (ctx) => s.delivery.History(ctx, PUB, 'missing')),
        'REPORT_NOT_FOUND',
      );
      await expectError(
        s.as(AGY, (ctx) => s.delivery.History(ctx, AGY, reportId)),
        'REPORT_NOT_FOUND',
      );
      await expectError(
        s.as(ADV2, (ctx) => s.delivery.History(ctx, PUB, reportId)),
        'REPORT_NOT_FOUND',
      );
      await expectError(
        s.as(PUB2, (ctx) => s.delivery.History(ctx, PUB, reportId)),
        'REPORT_NOT_FOUND',
      );
      await expectError(
        s.as(AGY, (ctx) => s.delivery.History(ctx, 'bad msp!', reportId)),
        'VALIDATION_FAILED',
      );
    });

    it('lists a campaign reports with filters and pagination; a publisher sees only its own', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      await s.submit(PUB, reportInput(day(1), 10));
      await s.submit(AGY, reportInput(day(1), 10));
      await s.submit(PUB2, reportInput(day(1), 10, 0, { lineItemId: 'li-2' }));
      const list = (mspId: string, query: Record<string, unknown>) =>
        s.as<{ records: Report[]; bookmark: string; fetchedCount: number }>(mspId, (ctx) =>
          s.delivery.List(ctx, JSON.stringify({ campaignId: CAMPAIGN, ...query })),
        );
      expect((await list(ADV, {})).result.records).to.have.length(3);
      expect((await list(PUB2, {})).result.records.map((r) => r.lineItemId)).to.deep.equal(['li-2']);
      expect((await list(ADV, { source: 'THIRD_PARTY' })).result.records.map((r) => r.reporter)).to.deep.equal([AGY]);
      const page = await list(ADV, { lineItemId: 'li-1', pageSize: 1 });
      expect(page.result.records).to.have.length(1);
      const next = await list(ADV, { lineItemId: 'li-1', pageSize: 1, bookmark: page.result.bookmark });
      expect(next.result.records).to.have.length(1);
      expect(next.result.bookmark).to.equal('');
      await expectError(list(PUB2, { lineItemId: 'li-1' }), 'CAMPAIGN_NOT_FOUND', 'has no line item');
      await expectError(list(ADV, { source: 'X' }), 'VALIDATION_FAILED');
    });
  });

  describe('VerifyProof', () => {
    const records = [0, 1, 2].map((i) => ({
      impressionId: `imp-${i}`,
      timestamp: `2026-03-01T00:00:0${i}.000Z`,
      campaignId: CAMPAIGN,
      lineItemId: 'li-1',
    }));

    async function withRoot(s: Scenario): Promise<{ reportId: string; tree: MerkleTree }> {
      await s.activeCampaign();
      const tree = MerkleTree.fromRecords(records);
      const input = reportInput(day(1), 3, 0, { recordCount: 3, merkleRoot: tree.root });
      await s.submit(PUB, input);
      return { reportId: String(input.reportId), tree };
    }

    it('proves a record, or a leaf hash, in the batch; a wrong record or size is not valid', async () => {
      const s = new Scenario();
      const { reportId, tree } = await withRoot(s);
      const verify = (proof: unknown) =>
        s.as<{ valid: boolean; merkleRoot: string }>(AGY, (ctx) =>
          s.delivery.VerifyProof(ctx, PUB, reportId, JSON.stringify(proof)),
        );
      const proof = tree.proof(2);
      expect((await verify({ ...proof, record: records[2] })).result).to.deep.equal({
        valid: true,
        merkleRoot: tree.root,
        reportId,
        reporter: PUB,
      });
      const leafHash = Buffer.from(hashLeaf(encodeImpressionRecord(records[2]!))).toString('hex');
      expect((await verify({ ...proof, leafHash })).result.valid).to.equal(true);
      expect((await verify({ ...proof, record: records[1] })).result.valid).to.equal(false);
      await expectError(verify({ ...proof }), 'VALIDATION_FAILED', 'exactly one');
      await expectError(verify({ ...proof, leafHash: 'zz' }), 'VALIDATION_FAILED', 'leafHash');
      await expectError(
        verify({ ...proof, auditPath: [], record: records[2] }),
        'VALIDATION_FAILED',
        'proof.auditPath',
      );
      await expectError(verify({ ...proof, record: { impressionId: 'x' } }), 'VALIDATION_FAILED');
      await expectError(
        s.as(AGY, (ctx) => s.delivery.VerifyProof(ctx, PUB, reportId, '[]')),
        'VALIDATION_FAILED',
      );
    });

    it('proves a record under a tree format version 2 root, and refuses an unknown version', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const tree = MerkleTree.fromRecords(records, { version: 2 });
      const input = reportInput(day(1), 3, 0, { recordCount: 3, merkleRoot: tree.root });
      await s.submit(PUB, input);
      const verify = (proof: unknown) =>
        s.as<{ valid: boolean }>(AGY, (ctx) =>
          s.delivery.VerifyProof(ctx, PUB, String(input.reportId), JSON.stringify(proof)),
        );
      const proof = tree.proof(2);
      expect(proof.version).to.equal(2);
      expect((await verify({ ...proof, record: records[2] })).result.valid).to.equal(true);
      expect((await verify({ ...proof, leafHash: tree.leafHash(2) })).result.valid).to.equal(true);
      expect((await verify({ ...proof, version: 1, record: records[2] })).result.valid).to.equal(false);
      expect((await verify({ ...proof, record: records[1] })).result.valid).to.equal(false);
      await expectError(verify({ ...proof, version: 3, record: records[2] }), 'VALIDATION_FAILED', 'proof.version');
    });

    it('refuses a report without a Merkle root', async () => {
      const s = new Scenario();
      await s.activeCampaign();
      const input = reportInput(day(1), 3);
      await s.submit(PUB, input);
      await expectError(
        s.as(AGY, (ctx) =>
          s.delivery.VerifyProof(
            ctx,
            PUB,
            String(input.reportId),
            JSON.stringify({ leafIndex: 0, treeSize: 1, auditPath: [], leafHash: 'a'.repeat(64) }),
          ),
        ),
        'INVALID_STATE',
      );
    });
  });
});
