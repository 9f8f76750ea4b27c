import type { Logger } from 'pino';
import { AppError } from '../errors';
import type { BlockSource } from './block-source';
import type { CampaignReader } from './campaign-reader';
import { openReportStore, type ReportStoreLocation } from './open-report-store';
import { newReportListener, type ListenerStatus, type ReportListener } from './report-listener';
import type { ReportStore } from './report-store';

/** The opened store and its running listener. */
export interface ReportingParts {
  readonly store: ReportStore;
  readonly listener: ReportListener;
}

/** The organization's reporting (store + listener), opened in the background so the API starts at once. */
export interface Reporting {
  /**
   * The store and listener, once open.
   * @throws {AppError} LEDGER_BEHIND (503, retry) while the store is still opening after `timeoutMs`, INTERNAL when
   * it failed to open.
   */
  ready(timeoutMs: number): Promise<ReportingParts>;
  /** The listener's status, or undefined while opening; `backend` once known. */
  status(): (ListenerStatus & { backend: string }) | undefined;
  stop(): Promise<void>;
}

/** Options of {@link startReporting}. */
export interface ReportingOptions {
  readonly organization: string;
  readonly chaincode: string;
  readonly location: ReportStoreLocation;
  readonly source: BlockSource;
  readonly readCampaign: CampaignReader;
  readonly logger: Logger;
  readonly retryAfterSeconds: number;
}

/** Opens the store (migrating it), starts the listener from the store's checkpoint, and hands both out. */
export function startReporting(options: Readonly<ReportingOptions>): Reporting {
  let parts: ReportingParts | undefined;
  let failure: unknown;
  const opening = openReportStore(options.location).then(
    (store) => {
      const listener = newReportListener({
        organization: options.organization,
        chaincode: options.chaincode,
        store,
        source: options.source,
        readCampaign: options.readCampaign,
        logger: options.logger,
      });
      listener.start();
      parts = { store, listener };
      options.logger.info({ backend: store.backend }, 'reporting store open; listener started');
      return parts;
    },
    (err: unknown) => {
      failure = err;
      options.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'reporting store failed to open');
      throw err;
    },
  );
  opening.catch(() => undefined);
  return {
    async ready(timeoutMs: number): Promise<ReportingParts> {
      if (parts !== undefined) return parts;
      if (failure !== undefined) throw new AppError('INTERNAL', 'the reporting store failed to open');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(
            new AppError('LEDGER_BEHIND', 'the reporting store is still opening; retry', {
              retryAfterSeconds: options.retryAfterSeconds,
            }),
          );
        }, timeoutMs);
      });
      try {
        return await Promise.race([
          opening.catch(() => {
            throw new AppError('INTERNAL', 'the reporting store failed to open');
          }),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    status() {
      return parts === undefined ? undefined : { ...parts.listener.status(), backend: parts.store.backend };
    },
    async stop(): Promise<void> {
      const opened = await opening.catch(() => undefined);
      if (opened !== undefined) {
        await opened.listener.stop();
        await opened.store.close();
      }
      options.source.close();
    },
  };
}
