import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { campaignTerms, marchDay, twoPublisherTerms, uniqueId } from './campaign-fixtures';
import { type NetworkProfile, repoRoot, runDir } from './network-profile';
import { http, type RestGateway } from './rest-gateway';

/** The report row fields the ledger answers (the store adds blockNumber and transactionId). */
export const LEDGER_ROW_FIELDS = [
  'campaignId',
  'lineItemId',
  'publisher',
  'periodStart',
  'periodEnd',
  'firstPartyImpressions',
  'thirdPartyImpressions',
  'discrepancyBps',
  'status',
  'agreedImpressions',
  'resolution',
  'billingBasis',
  'billableImpressions',
  'cpmMicros',
  'amountMicros',
  'invoiceId',
  'invoicedMicros',
  'paidMicros',
  'outstandingMicros',
  'overdue',
] as const;

/** A report row as JSON. */
export type JsonRow = Record<string, unknown>;

/** The key of a row: campaign, line item, day. */
export const rowKey = (row: JsonRow): string =>
  `${String(row.campaignId)}|${String(row.lineItemId)}|${String(row.periodStart)}`;

const ok = (res: { status: number; text: string }) => {
  expect(res.status, res.text).to.be.oneOf([200, 201]);
};

/** Every row of the store's report through a client's gateway, page by page; with the store's asOfBlock. */
export async function storeReportAll(
  gateway: RestGateway,
  clientId: string,
  filter = '',
): Promise<{ rows: JsonRow[]; totals: Record<string, number>; asOfBlock: string; pages: number }> {
  const rows: JsonRow[] = [];
  let cursor = '';
  let totals: Record<string, number>;
  let asOfBlock: string;
  let pages = 0;
  do {
    const res = await http<{
      data: { rows: JsonRow[]; totals: Record<string, number>; asOfBlock: string; nextCursor: string };
    }>(gateway, 'GET', `/reports/reconciliation?pageSize=500${filter}&cursor=${encodeURIComponent(cursor)}`, {
      clientId,
    });
    ok(res);
    rows.push(...res.body.data.rows);
    totals = res.body.data.totals;
    asOfBlock = res.body.data.asOfBlock;
    cursor = res.body.data.nextCursor;
    pages++;
  } while (cursor !== '');
  return { rows, totals, asOfBlock, pages };
}

/** Every row of the chaincode's evaluated report of all the client's campaigns (every bookmark page). */
/** `path`: where the gateway serves the chaincode's report (`/reports/reconciliation` when its store is off). */
export async function ledgerReportAll(
  gateway: RestGateway,
  clientId: string,
  path = '/reports/reconciliation/ledger',
): Promise<JsonRow[]> {
  const rows: JsonRow[] = [];
  let bookmark = '';
  do {
    const res = await http<{ data: { rows: JsonRow[]; bookmark: string } }>(
      gateway,
      'GET',
      `${path}?pageSize=200&bookmark=${encodeURIComponent(bookmark)}`,
      { clientId },
    );
    ok(res);
    rows.push(...res.body.data.rows);
    bookmark = res.body.data.bookmark;
  } while (bookmark !== '');
  return rows;
}

/** A small deterministic PRNG (mulberry32), so a failing randomized run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A randomized run through the REST API: `campaigns` two-publisher campaigns, random first- and third-party counts
 * over the first `days` days of March (some sides missing, some disputed), resolutions of some disputed days,
 * an invoice per first line item and a partial or full payment. Returns the campaign IDs.
 */
export async function randomizedRun(
  gateway: RestGateway,
  profile: NetworkProfile,
  random: () => number,
  campaigns: number,
  days: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let c = 0; c < campaigns; c++) {
    const terms = c % 2 === 0 ? twoPublisherTerms(profile) : campaignTerms(profile);
    const { campaignId } = terms;
    ids.push(campaignId);
    ok(await http(gateway, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms }));
    const acceptors = ['agency-operations', 'publisher-operations'];
    if (terms.lineItems.length > 1) acceptors.push('publisher2-operations');
    for (const clientId of acceptors) {
      ok(await http(gateway, 'POST', `/campaigns/${campaignId}/acceptances`, { clientId, body: { version: 1 } }));
    }
    const disputed: { lineItemId: string; periodStart: string; fp: number; tp: number }[] = [];
    for (const [index, lineItem] of terms.lineItems.entries()) {
      const publisherClient = index === 0 ? 'publisher-operations' : 'publisher2-operations';
      const pubReports = [];
      const agyReports = [];
      for (let d = 1; d <= days; d++) {
        const fp = 10_000 + Math.floor(random() * 40_000);
        const dispute = random() < 0.3;
        const tp = dispute ? Math.floor(fp * 0.8) : fp - Math.floor(random() * fp * 0.05);
        const period = marchDay(d);
        const skipPub = random() < 0.1;
        const skipAgy = !skipPub && random() < 0.1;
        if (!skipPub) {
          pubReports.push({
            reportId: uniqueId('p'),
            campaignId,
            lineItemId: lineItem.lineItemId,
            ...period,
            impressions: fp,
            invalidImpressions: 0,
          });
        }
        if (!skipAgy) {
          agyReports.push({
            reportId: uniqueId('a'),
            campaignId,
            lineItemId: lineItem.lineItemId,
            ...period,
            impressions: tp,
            invalidImpressions: 0,
          });
        }
        if (dispute && !skipPub && !skipAgy)
          disputed.push({ lineItemId: lineItem.lineItemId, periodStart: period.periodStart, fp, tp });
      }
      if (pubReports.length > 0) {
        ok(
          await http(gateway, 'POST', '/delivery-reports/batch', {
            clientId: publisherClient,
            body: { reports: pubReports },
          }),
        );
      }
      if (agyReports.length > 0) {
        ok(
          await http(gateway, 'POST', '/delivery-reports/batch', {
            clientId: 'agency-operations',
            body: { reports: agyReports },
          }),
        );
      }
    }
    // An invoice needs every disputed day of its period resolved: invoiced campaigns resolve them all.
    const invoiced = random() < 0.8;
    for (const day of disputed.filter((d) => d.lineItemId === 'li-1' && (invoiced || random() < 0.6))) {
      const rowPath = `/reconciliations/${campaignId}/li-1/${day.periodStart}`;
      const agreed = Math.floor((day.fp + day.tp) / 2);
      ok(
        await http(gateway, 'POST', `${rowPath}/resolution-proposals`, {
          clientId: 'publisher-operations',
          body: { agreedImpressions: agreed },
        }),
      );
      const row = await http<{ data: { resolution: { version?: number } | null } }>(gateway, 'GET', rowPath, {
        clientId: 'agency-operations',
      });
      ok(row);
      const version = row.body.data.resolution?.version ?? 1;
      ok(
        await http(gateway, 'POST', `${rowPath}/resolution-acceptances`, {
          clientId: 'agency-operations',
          body: { agreedImpressions: agreed, version },
        }),
      );
    }
    if (invoiced) {
      const invoiceId = uniqueId('inv');
      const issued = await http<{ data: { invoice?: { amountMicros: number }; amountMicros?: number } }>(
        gateway,
        'POST',
        '/invoices',
        {
          clientId: 'publisher-finance',
          body: {
            invoiceId,
            campaignId,
            lineItemId: 'li-1',
            periodStart: '2026-03-01',
            periodEnd: `2026-03-${String(days).padStart(2, '0')}`,
          },
        },
      );
      ok(issued);
      const amount = issued.body.data.invoice?.amountMicros ?? issued.body.data.amountMicros ?? 0;
      const paid = random() < 0.5 ? amount : Math.floor(amount / 3);
      if (paid > 0) {
        ok(
          await http(gateway, 'POST', '/payments', {
            clientId: 'advertiser-finance',
            body: { paymentId: uniqueId('pay'), invoiceId, amountMicros: paid, reference: 'randomized run' },
          }),
        );
      }
    }
  }
  return ids;
}

/** The gateway profile of an organization as the network scripts wrote it (`network/run/gateway/<name>/`). */
export function gatewayProfileOf(mspId: string): string {
  const root = path.join(runDir, 'gateway');
  for (const name of fs.readdirSync(root)) {
    const file = path.join(root, name, 'profile.json');
    if (!fs.existsSync(file)) continue;
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { organization: { mspId: string } };
    if (profile.organization.mspId === mspId) return file;
  }
  throw new Error(`no gateway profile of ${mspId}`);
}

/** A status line of the listener CLI. */
export interface ListenerLine {
  checkpoint: string | null;
  peerHeight: string | null;
  lagBlocks: number | null;
  rowsApplied: number;
  applyMs: number;
  lastError: string | null;
}

/** The standalone listener process (`gateway/dist/src/cli/reporting-listener.js`) on one organization's peer. */
export interface ListenerProcess {
  readonly child: ChildProcess;
  /** The latest status line. */
  last(): ListenerLine | undefined;
  /** Resolves when a status line satisfies `predicate`. */
  until(predicate: (line: ListenerLine) => boolean, timeoutMs?: number): Promise<ListenerLine>;
  /** Every status line's lastError that was not null. */
  errors(): string[];
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9) and wait for the exit. */
  kill9(): Promise<void>;
}

/** Starts the listener CLI for an organization into `env` (ADRECON_REPORTING_DIR or _DATABASE_URL). */
export function startListener(mspId: string, env: Record<string, string>): ListenerProcess {
  const child = spawn(process.execPath, [path.join(repoRoot, 'gateway/dist/src/cli/reporting-listener.js')], {
    env: {
      ...process.env,
      ADRECON_GATEWAY_PROFILE: gatewayProfileOf(mspId),
      ADRECON_LISTENER_STATUS_MS: '100',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let latest: ListenerLine | undefined;
  const errors: string[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        latest = JSON.parse(line) as ListenerLine;
        if (latest.lastError !== null) errors.push(latest.lastError);
      } catch {
        continue;
      }
      for (const wake of waiters) wake();
    }
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  return {
    child,
    last: () => latest,
    errors: () => errors,
    until: (predicate, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (latest !== undefined && predicate(latest)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(latest);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `listener of ${mspId}: condition not met in ${timeoutMs} ms; last ${JSON.stringify(latest)}; stderr ${stderr.slice(-2000)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
