import { http, type RestGateway } from './rest-gateway';

const HOUR = 3_600_000;
/** Pause between a writer's attempts at one report. */
const RETRY_MS = 250;

/** One attempt of a load writer at one report. */
export interface LoadAttempt {
  /** The writer's target, as named when it was started. */
  readonly target: string;
  /** The answer's status; 0 when no HTTP answer came (connection refused or reset). */
  readonly status: number;
  readonly retryAfter: string | null;
  /** When it was sent and when its answer (or failure) came, epoch ms. */
  readonly sentAt: number;
  readonly at: number;
}

/** Where a writer sends its delivery reports: a campaign's line item `li-1`, as one organization's user. */
export interface LoadTarget {
  readonly name: string;
  readonly campaignId: string;
  readonly clientId: string;
}

/**
 * The fault tests' load: concurrent REST writers, each submitting one hourly delivery report at a time and sending
 * it again (same body, same Idempotency-Key) until it is acknowledged. Every 2xx is recorded as acknowledged, every
 * attempt with its status and times, so a test can check afterwards that no acknowledged write was lost.
 */
export class ReportLoad {
  /** Acknowledged reports by report ID. */
  readonly acknowledged = new Map<string, { readonly campaignId: string; readonly impressions: number }>();
  readonly attempts: LoadAttempt[] = [];
  readonly #gateway: RestGateway;
  readonly #reportIdPrefix: string;
  readonly #flightStart: number;
  readonly #writers: Promise<void>[] = [];
  #stopped = false;
  #nextSlot = 0;

  /**
   * @param reportIdPrefix - report IDs are this prefix and the report's hour slot (one slot per report, shared by
   *   every writer, counted in hours from `flightStart`).
   */
  constructor(gateway: RestGateway, reportIdPrefix: string, flightStart: number) {
    this.#gateway = gateway;
    this.#reportIdPrefix = reportIdPrefix;
    this.#flightStart = flightStart;
  }

  /** Starts `writers` writers on the target. */
  start(target: LoadTarget, writers: number): void {
    for (let i = 0; i < writers; i++) this.#writers.push(this.#write(target));
  }

  /** Stops taking new reports and waits for every writer's last attempt. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#writers);
  }

  /** Read through a call: `stop()` sets it while a writer awaits, which the compiler's narrowing cannot see. */
  #isStopped(): boolean {
    return this.#stopped;
  }

  async #write(target: LoadTarget): Promise<void> {
    while (!this.#isStopped()) {
      const slot = this.#nextSlot++;
      const start = this.#flightStart + HOUR * slot;
      const body = {
        reportId: `${this.#reportIdPrefix}${String(slot)}`,
        campaignId: target.campaignId,
        lineItemId: 'li-1',
        periodStart: new Date(start).toISOString().replace('.000', ''),
        periodEnd: new Date(start + HOUR).toISOString().replace('.000', ''),
        impressions: 1_000 + slot,
        invalidImpressions: 0,
      };
      for (;;) {
        let status: number;
        let retryAfter: string | null = null;
        const sentAt = Date.now();
        try {
          const res = await http(this.#gateway, 'POST', '/delivery-reports', {
            clientId: target.clientId,
            body,
            headers: { 'idempotency-key': body.reportId },
            consistent: false,
          });
          status = res.status;
          retryAfter = res.headers.get('retry-after');
        } catch {
          status = 0;
        }
        this.attempts.push({ target: target.name, status, retryAfter, sentAt, at: Date.now() });
        if (status === 200 || status === 201) {
          this.acknowledged.set(body.reportId, { campaignId: target.campaignId, impressions: body.impressions });
          break;
        }
        if (this.#isStopped()) break;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }
}
