import os from 'node:os';
import { LIMITS } from '@adrecon/contract';
import { procStat } from '@adrecon/gateway';
import { campaignTerms } from '../test/support/campaign-fixtures';
import { connectParties, type PartyConnections } from '../test/support/fabric-connection';
import { mspOf, type NetworkProfile } from '../test/support/network-profile';
import { http, type RestGateway, startRestGateway } from '../test/support/rest-gateway';
import { withAnswerFloor, type FloorMode } from './answer-floor';
import { activate, daySlots } from './campaign-setup';

/**
 * The scale and the load's shape: `ADRECON_BENCH_STORE=lineItems,days,campaigns,firstBatch,inFlight`,
 * default 10 line items × 1,000 days, 100 month-end campaigns, a first `SubmitBatch` of 100 reports, 3 batches in
 * flight. Later batches are sized from the endorsement time of the earlier ones (see {@link submitDays}), up to the
 * contract's maximum of 500: the run finds the largest batch that fits the deadline on the machine as loaded, and
 * prints it. (A fixed 500, or 300 with 4 in flight, missed the 30 s deadline at load average 20.)
 */
const [LINE_ITEMS = 10, DAYS = 1000, MONTH_END_CAMPAIGNS = 100, FIRST_BATCH = 100, IN_FLIGHT = 3] = (
  process.env.ADRECON_BENCH_STORE ?? ''
)
  .split(',')
  .filter((n) => n !== '')
  .map((n) => Number.parseInt(n, 10));
const MONTH_END_DAYS = 31;
/**
 * A batch is sized to endorse in about a third of the client's 30 s endorse deadline (test/support/fabric-connection),
 * so a machine that slows down by up to 3× between two batches still makes the deadline.
 */
const ENDORSE_TARGET_MS = 10_000;
const MIN_BATCH = 10;
/** Month-end campaigns set up at the same time (each its proposal, then two acceptances). */
const SETUP_IN_FLIGHT = 20;
const STORE_SAMPLES = 20;
const LEDGER_SAMPLES = 5;
const PROGRESS_MS = 15_000;
/**
 * Time budget of each phase (the 10,000-period load, the store catching up, the month-end set-up), from
 * `ADRECON_BENCH_STORE_BUDGET_S` (default 1,200 s): past it the phase stops taking new work and the run measures what
 * it has, saying how far it got, so a run on a loaded machine ends in bounded time.
 */
const BUDGET_MS = Number.parseInt(process.env.ADRECON_BENCH_STORE_BUDGET_S ?? '1200', 10) * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () => os.loadavg()[0]?.toFixed(1) ?? '?';
const seconds = (ms: number) => (ms / 1000).toFixed(1);

function percentiles(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50: p(0.5), p95: p(0.95) };
}

/**
 * `samples` calls, each timed until its answer has been received in full (the time a client waits for the report);
 * a call resolves with a function that counts the answer's rows, run after the clock stops, since parsing megabytes
 * of JSON is the client's own work, whichever side answered.
 */
async function timed(
  samples: number,
  call: () => Promise<() => number>,
): Promise<{ p50: number; p95: number; rows: number }> {
  const latencies: number[] = [];
  let rows = 0;
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    const count = await call();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    rows = count();
  }
  return { ...percentiles(latencies), rows };
}

/** Runs `work` over `items` with at most `limit` at a time. */
/** Runs `work` over `items` with at most `limit` at a time, starting none after `stopAt`. @returns items done. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stopAt = Infinity,
): Promise<number> {
  const queue = [...items];
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined && Date.now() < stopAt; item = queue.shift()) {
        await work(item);
        done++;
      }
    }),
  );
  return done;
}

/** The count of the rows in JSON report answers, for {@link timed}: parsed when called, after the clock stops. */
const rowsIn =
  (...texts: string[]) =>
  (): number =>
    texts.reduce((sum, text) => sum + (JSON.parse(text) as { data: { rows: unknown[] } }).data.rows.length, 0);

/** A GET as the agency's finance user (or `clientId`); a 503 is retried until `giveUpAt` (default: 120 s from now). */
async function get<T>(
  gateway: RestGateway,
  path: string,
  giveUpAt = Date.now() + 120_000,
  clientId = 'agency-finance',
): Promise<T> {
  return JSON.parse(await getText(gateway, path, giveUpAt, clientId)) as T;
}

/** {@link get}'s answer as the text received, not parsed. */
async function getText(
  gateway: RestGateway,
  path: string,
  giveUpAt = Date.now() + 120_000,
  clientId = 'agency-finance',
): Promise<string> {
  for (;;) {
    const res = await http(gateway, 'GET', path, { clientId, consistent: false, parse: false });
    if (res.status === 200) return res.text;
    if (res.status !== 503 || Date.now() > giveUpAt) {
      throw new Error(`${path}: HTTP ${String(res.status)} ${res.text.slice(0, 200)}`);
    }
    await sleep(500);
  }
}

interface ListenerStatusBody {
  data: { checkpoint?: string | null; lagBlocks?: number | null; rowsApplied?: number; applyMs?: number };
}

const status = async (gateway: RestGateway, clientId = 'agency-finance') =>
  (await get<ListenerStatusBody>(gateway, '/reporting/status', undefined, clientId)).data;

/**
 * Waits until the store of `clientId`'s organization (the agency's by default) has applied `block` (and is at its
 * peer's tip), or until {@link BUDGET_MS} has passed: the status then shows how far behind it is.
 */
async function storeAt(
  gateway: RestGateway,
  block: bigint,
  clientId = 'agency-finance',
): Promise<ListenerStatusBody['data']> {
  const giveUpAt = Date.now() + BUDGET_MS;
  for (;;) {
    const now = await status(gateway, clientId);
    if (now.lagBlocks === 0 && BigInt(now.checkpoint ?? '-1') >= block) return now;
    if (Date.now() > giveUpAt) {
      console.log(
        `  the store is ${String(now.lagBlocks ?? '?')} blocks behind after the time budget: measuring it as it is`,
      );
      return now;
    }
    await sleep(200);
  }
}

type Side = 'fp' | 'tp';

/** The load's shared state: the batch size in use (lowered on a missed deadline), splits, the last block. */
interface Loader {
  readonly conns: PartyConnections;
  batch: number;
  splits: number;
  conflicts: number;
  lastBlock: bigint;
  reports: number;
  /** Each committed batch's endorsement time (submit until the orderer took it). */
  readonly endorseMs: number[];
}

const deadlineMissed = (err: unknown) => String(err).includes('DEADLINE_EXCEEDED');
const readConflict = (err: unknown) => String(err).includes('MVCC_READ_CONFLICT');

/**
 * Submits one side's daily reports of days [from, to) (days after 1 January 2026) of a line item in one
 * `SubmitBatch`, and sizes the next batches from how long this one took to endorse: the size that would endorse in
 * {@link ENDORSE_TARGET_MS} (at most doubling, at most the contract's maximum). A batch that missed the deadline is
 * sent again in halves (and later batches are at most half as large): a batch is all or nothing and a repeated report
 * is a no-op, so a resend neither loses nor doubles a report.
 */
async function submitDays(
  loader: Loader,
  campaignId: string,
  lineItemId: string,
  side: Side,
  from: number,
  to: number,
): Promise<void> {
  const periods = daySlots();
  for (let d = 0; d < from; d++) periods();
  const batch = Array.from({ length: to - from }, (_, i) => {
    const slot = periods();
    return {
      reportId: `${campaignId}-${lineItemId}-${side}-${String(from + i)}`,
      campaignId,
      lineItemId,
      periodStart: slot.periodStart,
      periodEnd: slot.periodEnd,
      impressions: side === 'fp' ? 10_000 : 9_900,
      invalidImpressions: 0,
    };
  });
  const conn = side === 'fp' ? loader.conns.publisher : loader.conns.agency;
  for (let attempt = 1; ; attempt++) {
    try {
      const t0 = Date.now();
      const submitted = await conn.contract.submitAsync('delivery:SubmitBatch', {
        arguments: [JSON.stringify(batch)],
      });
      const endorseMs = Date.now() - t0;
      const committed = await submitted.getStatus();
      if (!committed.successful) throw new Error(`SubmitBatch committed as invalid: code ${String(committed.code)}`);
      if (committed.blockNumber > loader.lastBlock) loader.lastBlock = committed.blockNumber;
      loader.reports += batch.length;
      loader.endorseMs.push(endorseMs);
      const fits = Math.floor((batch.length * ENDORSE_TARGET_MS) / Math.max(1, endorseMs));
      if (batch.length >= loader.batch || fits < loader.batch) {
        loader.batch = Math.max(MIN_BATCH, Math.min(LIMITS.batchReports, 2 * loader.batch, fits));
      }
      return;
    } catch (err) {
      if (deadlineMissed(err) && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        loader.batch = Math.max(MIN_BATCH, Math.min(loader.batch, half));
        loader.splits++;
        console.log(`  endorsement of ${String(batch.length)} reports missed the deadline: halves of ${String(half)}`);
        await submitDays(loader, campaignId, lineItemId, side, from, from + half);
        await submitDays(loader, campaignId, lineItemId, side, from + half, to);
        return;
      }
      if (attempt >= 5 || !(deadlineMissed(err) || readConflict(err))) throw err;
      loader.conflicts++;
    }
  }
}

/** One line item's side: how far it is sent, and whether a batch of it is in flight. */
interface Stream {
  readonly lineItemId: string;
  readonly side: Side;
  next: number;
  committed: number;
  busy: boolean;
}

/**
 * Both sides' daily reports of every line item over `days` days, `IN_FLIGHT` batches at a time, always taking the
 * stream (line item and side) that is furthest behind: the days arrive roughly in calendar order, both sides
 * together, as ad servers send them, so each batch's re-read (from its first day on) stays short. Batches of
 * different streams write disjoint keys, so they endorse and commit side by side without read conflicts.
 * @returns the streams, for progress.
 */
function loadCampaign(loader: Loader, campaignId: string, lineItemIds: readonly string[], days: number) {
  const streams: Stream[] = lineItemIds.flatMap((lineItemId) =>
    (['fp', 'tp'] as const).map((side) => ({ lineItemId, side, next: 0, committed: 0, busy: false })),
  );
  const progress = { streams, days };
  const stopAt = Date.now() + BUDGET_MS;
  const worker = async () => {
    while (Date.now() < stopAt) {
      const stream = streams
        .filter((s) => !s.busy && s.next < days)
        .sort((a, b) => a.next - b.next || a.committed - b.committed)[0];
      if (stream === undefined) return;
      stream.busy = true;
      const from = stream.next;
      const to = Math.min(days, from + loader.batch);
      stream.next = to;
      try {
        await submitDays(loader, campaignId, stream.lineItemId, stream.side, from, to);
        stream.committed += to - from;
      } finally {
        stream.busy = false;
      }
    }
  };
  return { progress, done: Promise.all(Array.from({ length: IN_FLIGHT }, worker)) };
}

/** Periods whose two sides are both committed. */
function reconciledPeriods(streams: readonly Stream[]): number {
  const byLineItem = new Map<string, number[]>();
  for (const s of streams) byLineItem.set(s.lineItemId, [...(byLineItem.get(s.lineItemId) ?? []), s.committed]);
  return [...byLineItem.values()].reduce((sum, sides) => sum + Math.min(...sides), 0);
}

/**
 * 7. The reporting store against the chaincode, in the same run: the report of one campaign with 10,000 reconciled
 * periods (10 line items × 1,000 days) from the store and from the chaincode; a month-end report across 100
 * campaigns both ways; the listener's ingest rate and lag while the 10,000 periods' delivery reports commit.
 */
export async function runStoreBench(profile: NetworkProfile) {
  // The chaincode's report of 10,000 rows takes longer than the API's 5 s evaluate deadline on a loaded machine: the
  // bench gives it 120 s so that it is measured rather than cut off.
  const gateway = await startRestGateway({ ADRECON_REPORTING: 'on', ADRECON_EVALUATE_TIMEOUT_MS: '120000' });
  const conns = connectParties(profile);
  const state = { polling: true };
  let maxLag = 0;
  const loads: number[] = [];
  const poller = (async () => {
    while (state.polling) {
      const res = await http<ListenerStatusBody>(gateway, 'GET', '/reporting/status', {
        clientId: 'agency-finance',
        consistent: false,
      });
      if (res.status === 200) maxLag = Math.max(maxLag, res.body.data.lagBlocks ?? 0);
      loads.push(os.loadavg()[0] ?? 0);
      await sleep(200);
    }
  })();
  const started = Date.now();
  try {
    console.log(
      `\n7. reporting store vs chaincode (agency's gateway, embedded store; ${String(LINE_ITEMS)} line items × ${String(DAYS)} days, ` +
        `${String(MONTH_END_CAMPAIGNS)} month-end campaigns; first SubmitBatch of ${String(FIRST_BATCH)} reports, ${String(IN_FLIGHT)} in flight; load average ${load()})`,
    );
    const caughtUp = await storeAt(gateway, 0n);
    const base = campaignTerms(profile);
    const publisher = mspOf(profile, 'PUBLISHER');
    const terms = {
      ...base,
      lineItems: Array.from({ length: LINE_ITEMS }, (_, i) => ({
        lineItemId: `li-${String(i + 1)}`,
        publisher,
        cpmMicros: 1_500_000,
        bookedImpressions: 6_000_000_000,
        flightStart: '2026-01-01',
        flightEnd: '2028-12-31',
      })),
    };
    await activate(conns, terms);
    const before = await status(gateway);
    maxLag = 0;
    loads.length = 0;
    const loader: Loader = {
      conns,
      batch: FIRST_BATCH,
      splits: 0,
      conflicts: 0,
      lastBlock: 0n,
      reports: 0,
      endorseMs: [],
    };
    const t0 = Date.now();
    const { progress, done } = loadCampaign(
      loader,
      terms.campaignId,
      terms.lineItems.map((li) => li.lineItemId),
      DAYS,
    );
    const ticker = setInterval(() => {
      void status(gateway).then((now) => {
        console.log(
          `  ${String(reconciledPeriods(progress.streams))}/${String(LINE_ITEMS * DAYS)} periods committed (both sides), ` +
            `${seconds(Date.now() - t0)} s, batch ${String(loader.batch)}; store: ${String((now.rowsApplied ?? 0) - (before.rowsApplied ?? 0))} rows applied, ` +
            `lag ${String(now.lagBlocks ?? '?')} blocks; load average ${load()}`,
        );
      });
    }, PROGRESS_MS);
    try {
      await done;
    } finally {
      clearInterval(ticker);
    }
    const committedMs = Date.now() - t0;
    const lagAtEnd = (await status(gateway)).lagBlocks;
    const after = await storeAt(gateway, loader.lastBlock);
    const ingestMs = Date.now() - t0;
    const applied = (after.rowsApplied ?? 0) - (before.rowsApplied ?? 0);
    const busyMs = (after.applyMs ?? 0) - (before.applyMs ?? 0);
    const meanLoad = loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
    console.log(
      `listener under the delivery-report load: ${String(reconciledPeriods(progress.streams))} of ${String(LINE_ITEMS * DAYS)} periods (${String(loader.reports)} reports; ${String(loader.endorseMs.length)} batches of ${String(FIRST_BATCH)} → ${String(loader.batch)} reports, endorsed in p50 ${percentiles(loader.endorseMs).p50.toFixed(0)} ms max ${Math.max(0, ...loader.endorseMs).toFixed(0)} ms, ${String(loader.splits)} split after a missed deadline, ` +
        `${String(loader.conflicts)} resent, ${String(IN_FLIGHT)} in flight) committed in ${seconds(committedMs)} s = ${((loader.reports * 1000) / committedMs).toFixed(0)} reports/s; ` +
        `in the store ${seconds(ingestMs - committedMs)} s after the last commit; ${String(applied)} rows re-read and applied: ` +
        `${((applied * 1000) / ingestMs).toFixed(0)} rows/s of wall time, ${((applied * 1000) / Math.max(1, busyMs)).toFixed(0)} rows/s of the listener's re-read-and-write time (${seconds(busyMs)} s busy); ` +
        `lag max ${String(maxLag)} blocks, ${String(lagAtEnd ?? '?')} at the last commit; load average ${meanLoad.toFixed(1)} mean, ${Math.max(...loads, 0).toFixed(1)} max`,
    );

    // Every organization's listener re-reads the same load, and on this one host they share its 2 cores: the reports
    // are timed once all of them are at the last block (on their own hosts they would not take the agency's CPU).
    const waitedFrom = Date.now();
    for (const { clientId } of gateway.credentials.filter((c) => c.role === 'finance')) {
      await storeAt(gateway, loader.lastBlock, clientId);
    }
    console.log(`  every organization's store at the last block ${seconds(Date.now() - waitedFrom)} s later`);
    const campaignPath = `campaignId=${terms.campaignId}`;
    // The gateway's own CPU time per store report: what the request costs on an idle machine, whatever the load.
    const agencyPid = gateway.of(mspOf(profile, 'AGENCY')).pid;
    const cpu0 = procStat(agencyPid)?.cpuMs ?? 0;
    let answer = '';
    const store = await timed(STORE_SAMPLES, async () => {
      answer = await getText(gateway, `/reports/reconciliation?${campaignPath}&pageSize=10000`);
      return rowsIn(answer);
    });
    const storeCpuMs = ((procStat(agencyPid)?.cpuMs ?? 0) - cpu0) / STORE_SAMPLES;
    // The API's default page (1,000 rows, the totals and row count still over the whole campaign).
    const firstPage = await timed(STORE_SAMPLES, async () => {
      return rowsIn(await getText(gateway, `/reports/reconciliation?${campaignPath}`));
    });
    // The store's last answer, its bytes from a plain HTTP server without a database or the gateway: what is left of
    // the store's time when nothing but the transport is (docs/benchmarks.md, section 7).
    const floor = await withAnswerFloor(answer, async (server) => {
      const fetched = (mode: FloorMode) => async () => rowsIn(await (await fetch(server.url(mode))).text());
      return {
        ready: await timed(STORE_SAMPLES, fetched('ready')),
        built: await timed(STORE_SAMPLES, fetched('built')),
      };
    });
    // One answer of 10,000 rows can exceed the gRPC client's 4 MiB message limit: then the chaincode's report is read
    // the way a client would have to, one line item per call, and the run says so.
    const whole = await http<{ data: { rows: unknown[] } }>(
      gateway,
      'GET',
      `/reports/reconciliation/ledger?${campaignPath}`,
      { clientId: 'agency-finance', consistent: false },
    );
    const perLineItem = whole.status !== 200;
    if (perLineItem) {
      console.log(
        `  the chaincode's report of the whole campaign answered HTTP ${String(whole.status)} (${whole.text.slice(0, 160)}); reading it one line item per call`,
      );
    }
    const ledger = await timed(LEDGER_SAMPLES, async () => {
      if (!perLineItem) return rowsIn(await getText(gateway, `/reports/reconciliation/ledger?${campaignPath}`));
      const texts: string[] = [];
      for (const { lineItemId } of terms.lineItems) {
        texts.push(await getText(gateway, `/reports/reconciliation/ledger?${campaignPath}&lineItemId=${lineItemId}`));
      }
      return rowsIn(...texts);
    }).catch((err: unknown) => {
      console.log(`  the chaincode's report was not answered: ${String(err)}`);
      return undefined;
    });
    console.log(
      `report of one campaign, ${String(store.rows)} rows: store p50 ${store.p50.toFixed(0)} ms p95 ${store.p95.toFixed(0)} ms (n=${String(STORE_SAMPLES)}; the gateway's CPU ${storeCpuMs.toFixed(0)} ms per report; ` +
        `its first page of ${String(firstPage.rows)} rows, the API's default, p50 ${firstPage.p50.toFixed(0)} ms p95 ${firstPage.p95.toFixed(0)} ms); ` +
        `the same ${(Buffer.byteLength(answer) / 1e6).toFixed(1)} MB from a plain HTTP server, no database: built per request p50 ${floor.built.p50.toFixed(0)} ms p95 ${floor.built.p95.toFixed(0)} ms, ` +
        `made once p50 ${floor.ready.p50.toFixed(0)} ms p95 ${floor.ready.p95.toFixed(0)} ms (store/built p95 ${(store.p95 / floor.built.p95).toFixed(1)}×); ` +
        (ledger === undefined
          ? 'chaincode: not measured (above)'
          : `chaincode (${String(ledger.rows)} rows${perLineItem ? ', one call per line item' : ''}) p50 ${ledger.p50.toFixed(0)} ms p95 ${ledger.p95.toFixed(0)} ms (n=${String(LEDGER_SAMPLES)}); ` +
            `chaincode/store p95 ${(ledger.p95 / store.p95).toFixed(1)}×`) +
        `; load average ${load()}`,
    );

    const m0 = Date.now();
    const monthEnd = Array.from({ length: MONTH_END_CAMPAIGNS }, (_, c) =>
      campaignTerms(profile, { name: `month-end ${String(c)}` }),
    );
    const activated = await pool(
      monthEnd,
      SETUP_IN_FLIGHT,
      async (small) => {
        await activate(conns, small);
      },
      m0 + BUDGET_MS,
    );
    const activatedMs = Date.now() - m0;
    // March 2026 (the fixture's flight): days 59..89 after 1 January; one batch per campaign and side.
    const monthLoader: Loader = { ...loader, splits: 0, conflicts: 0, reports: 0, endorseMs: [] };
    const batches = monthEnd
      .slice(0, activated)
      .flatMap((small) => (['fp', 'tp'] as const).map((side) => ({ small, side })));
    await pool(batches, IN_FLIGHT * 2, ({ small, side }) =>
      submitDays(monthLoader, small.campaignId, 'li-1', side, 59, 59 + MONTH_END_DAYS),
    );
    const monthMs = Date.now() - m0;
    await storeAt(gateway, monthLoader.lastBlock);
    console.log(
      `month-end set-up: ${String(activated)} of ${String(MONTH_END_CAMPAIGNS)} campaigns activated in ${seconds(activatedMs)} s (${String(SETUP_IN_FLIGHT)} at a time), ` +
        `their ${String(monthLoader.reports)} reports committed ${seconds(monthMs - activatedMs)} s later, in the store ${seconds(Date.now() - m0 - monthMs)} s after; load average ${load()}`,
    );
    const monthStore = await timed(STORE_SAMPLES, async () => {
      const text = await getText(gateway, '/reports/reconciliation?month=2026-03&pageSize=10000');
      return () => (JSON.parse(text) as { data: { rowCount: number } }).data.rowCount;
    });
    const monthLedger = await timed(3, async () => {
      let bookmark = '';
      let rows = 0;
      do {
        const body = await get<{ data: { rows: unknown[]; bookmark: string } }>(
          gateway,
          `/reports/reconciliation/ledger?from=2026-03-01&to=2026-03-31&pageSize=200&bookmark=${encodeURIComponent(bookmark)}`,
        );
        rows += body.data.rows.length;
        bookmark = body.data.bookmark;
      } while (bookmark !== '');
      // The pages of 200 rows are parsed as they come, for their bookmarks.
      return () => rows;
    });
    console.log(
      `month-end report (March 2026, every campaign of the agency, ≥ ${String(MONTH_END_CAMPAIGNS)} campaigns): ` +
        `store ${String(monthStore.rows)} rows p50 ${monthStore.p50.toFixed(0)} ms p95 ${monthStore.p95.toFixed(0)} ms; ` +
        `chaincode (every bookmark page) ${String(monthLedger.rows)} rows p50 ${monthLedger.p50.toFixed(0)} ms p95 ${monthLedger.p95.toFixed(0)} ms (n=3); ` +
        `ratio p95 ${(monthLedger.p95 / monthStore.p95).toFixed(1)}×; load average ${load()}`,
    );
    console.log(
      `section 7 took ${seconds(Date.now() - started)} s (store caught up with ${caughtUp.checkpoint ?? '?'} earlier blocks first)`,
    );
  } finally {
    state.polling = false;
    await poller;
    conns.close();
    await gateway.stop();
  }
}
