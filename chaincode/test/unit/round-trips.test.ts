import { expect } from 'chai';
import { PUB, Scenario, hour, reportInput } from './support/scenario.js';

type Stub = NonNullable<Scenario['net']['lastStub']>;

/**
 * The stub calls that are a message to the peer and its answer (fabric-shim's handler sends each and waits; the
 * messages of one transaction are serialized). A range query is two: the query, and the close of its iterator.
 */
const MESSAGES = [
  'getState',
  'putState',
  'deleteState',
  'getPrivateData',
  'putPrivateData',
  'deletePrivateData',
  'getPrivateDataHash',
  'getStateValidationParameter',
  'setStateValidationParameter',
  'getPrivateDataValidationParameter',
  'setPrivateDataValidationParameter',
  'getStateByRange',
  'getStateByPartialCompositeKey',
  'getStateByPartialCompositeKeyWithPagination',
  'getHistoryForKey',
  'getQueryResult',
] as const;
const RANGES: ReadonlySet<string> = new Set([
  'getStateByRange',
  'getStateByPartialCompositeKey',
  'getStateByPartialCompositeKeyWithPagination',
  'getHistoryForKey',
  'getQueryResult',
]);

/** The round trips between chaincode and peer of the last transaction, in total and by stub method. */
export function roundTrips(stub: Stub): { total: number; by: Record<string, number> } {
  const by: Record<string, number> = {};
  let total = 0;
  for (const name of MESSAGES) {
    const calls = stub[name].callCount * (RANGES.has(name) ? 2 : 1);
    if (calls > 0) by[name] = calls;
    total += calls;
  }
  return { total, by };
}

/**
 * Round trips per delivery report (issues 8 and 13): every getState, putState, private write and validation
 * parameter is a message the chaincode server sends its peer and waits for, so they add up per report. These bounds
 * are the measured counts of the write path (docs/benchmarks.md, "Where the time goes"); a change that adds a round
 * trip to every report fails here.
 */
describe('round trips between chaincode and peer per delivery report', () => {
  it('a new report (Submit): 20 round trips (18 before the line item terms became a record of their own)', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.submit(PUB, reportInput(hour(2, 6), 10));
    await s.submit(PUB, reportInput(hour(2, 7), 10));
    const { total, by } = roundTrips(s.net.lastStub!);
    expect(by, JSON.stringify(by)).to.deep.equal({
      // campaign marker, line item terms' marker, role, report-ID pointer, resolution, the period's count; campaign
      // value and the line item's terms (in the line item's collection, issue 8)
      getState: 6,
      getPrivateData: 2,
      // invoice index and the day's other granularity's counts, each a query and a close
      getStateByPartialCompositeKey: 4,
      // report, pointer and count
      putState: 3,
      putPrivateData: 2,
      setStateValidationParameter: 3,
    });
    expect(total).to.equal(20);
  });

  it('a restatement reads the count key it replaces and its policy, and rewrites no policy', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    await s.submit(PUB, reportInput(hour(2, 6), 10));
    await s.submit(PUB, reportInput(hour(2, 6), 12));
    const { total, by } = roundTrips(s.net.lastStub!);
    expect(by, JSON.stringify(by)).to.deep.equal({
      getState: 6,
      getPrivateData: 3,
      getStateByPartialCompositeKey: 4,
      putState: 3,
      putPrivateData: 2,
      getStateValidationParameter: 1,
      setStateValidationParameter: 2,
    });
    expect(total).to.equal(21);
  });

  it('a batch of 100 hourly reports of one line item: 10.22 round trips per report (11.2 before)', async () => {
    const s = new Scenario();
    await s.activeCampaign();
    const inputs = Array.from({ length: 100 }, (_, i) => reportInput(hour(1 + Math.floor(i / 24), i % 24), 10));
    await s.as(PUB, (ctx) => s.delivery.SubmitBatch(ctx, JSON.stringify(inputs)));
    const { total, by } = roundTrips(s.net.lastStub!);
    // Per report: pointer and count reads, three public writes, two private writes, three policies; per day (5) a
    // resolution read and a range; per transaction campaign and line item terms (marker and value each), role and
    // invoice index.
    expect(by, JSON.stringify(by)).to.deep.equal({
      getState: 3 + 5 + 200,
      getPrivateData: 2,
      getStateByPartialCompositeKey: 2 * (1 + 5),
      putState: 300,
      putPrivateData: 200,
      setStateValidationParameter: 300,
    });
    expect(total).to.equal(1022);
  });
});
