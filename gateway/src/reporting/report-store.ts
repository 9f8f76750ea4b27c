import type { Campaign, Invoice, ReportRow } from '@adrecon/contract';

/** Where a stored record came from: the block and transaction whose event last changed it. */
export interface Provenance {
  readonly blockNumber: bigint;
  readonly transactionId: string;
}

/** A report row as stored: the ledger's row and its provenance. */
export type StoredReportRow = ReportRow & Provenance;

/**
 * What a snapshot covers: the whole campaign (`lineItems` undefined), or some line items, each from a UTC day on
 * (`YYYY-MM-DD`; undefined: all its days). Rows inside the coverage that the snapshot lacks are gone.
 */
export interface SnapshotCoverage {
  readonly lineItems: ReadonlyMap<string, string | undefined> | undefined;
  /** Whether `invoices` were read (otherwise the stored invoices are kept as they are). */
  readonly invoices: boolean;
}

/** One campaign as the organization's peer answers it now: terms, the report rows it may see, its invoices. */
export interface CampaignSnapshot {
  readonly campaignId: string;
  /** Undefined when the peer no longer shows the campaign to this organization: its rows are removed. */
  readonly campaign: Campaign | undefined;
  /** The rows of the {@link coverage}. */
  readonly rows: readonly ReportRow[];
  readonly invoices: readonly Invoice[];
  /** What was re-read; the whole campaign when absent. */
  readonly coverage?: SnapshotCoverage;
  /** The event that made the listener re-read it: changed records carry it. */
  readonly cause: Provenance;
}

/** A ledger transaction the listener has applied (every valid transaction with an event of our chaincode). */
export interface AppliedTransaction extends Provenance {
  readonly eventName: string;
  readonly campaignId: string | undefined;
}

/** What one listener step applies atomically: snapshots, the transactions seen, and the new checkpoint. */
export interface AppliedBatch {
  /** The last block this batch covers entirely: the checkpoint after it. */
  readonly lastBlock: bigint;
  readonly transactions: readonly AppliedTransaction[];
  readonly snapshots: readonly CampaignSnapshot[];
}

/** Filters of a store report; every field optional. Days are inclusive UTC dates (`YYYY-MM-DD`). */
export interface StoreReportQuery {
  readonly campaignId?: string | undefined;
  readonly publisher?: string | undefined;
  readonly lineItemId?: string | undefined;
  readonly status?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** Rows per page. */
  readonly limit: number;
  /** The previous page's `nextCursor` ('' or absent for the first page). */
  readonly cursor?: string | undefined;
}

/** Totals over every row the filters select (not only the page), as the ledger's report computes them. */
export interface ReportTotals {
  readonly firstPartyImpressions: number;
  readonly thirdPartyImpressions: number;
  readonly billableImpressions: number;
  readonly amountMicros: number;
  readonly invoicedMicros: number;
  readonly creditedMicros: number;
  readonly paidMicros: number;
  readonly outstandingMicros: number;
  readonly overdueMicros: number;
}

/** A page of the store's report. */
export interface StoreReport {
  readonly rows: readonly StoredReportRow[];
  readonly totals: ReportTotals;
  readonly rowCount: number;
  /** The last block the store has applied: the report reflects the ledger up to it. */
  readonly asOfBlock: bigint | undefined;
  /** Cursor of the next page; '' at the end. */
  readonly nextCursor: string;
}

/**
 * A page of the store's report with its rows as one JSON array text, built by the database: the rows of
 * {@link StoreReport} with `blockNumber` as a decimal string, in the same order. The JSON API sends it as it is,
 * so a page of 10,000 rows is neither converted row by row nor serialized again.
 */
export interface StoreReportJson extends Omit<StoreReport, 'rows'> {
  readonly rowsJson: string;
}

/** A campaign as the dashboard lists it: status and delivery against booking. */
export interface CampaignSummary extends Provenance {
  readonly campaignId: string;
  readonly name: string;
  readonly status: string;
  readonly advertiser: string;
  readonly agency: string;
  readonly currency: string;
  readonly version: number;
  readonly bookedImpressions: number;
  readonly billableImpressions: number;
  readonly disputedDays: number;
  readonly amountMicros: number;
  readonly lineItems: Campaign['lineItems'];
  readonly discrepancyToleranceBps: number;
}

/** An invoice as stored, with its aging bucket as of a given day. */
export interface StoredInvoice extends Provenance {
  readonly invoice: Invoice;
  /** `PAID`, `OVERDUE`, `PARTIALLY_PAID` or `ISSUED` (not yet due). */
  readonly aging: 'PAID' | 'OVERDUE' | 'PARTIALLY_PAID' | 'ISSUED';
  readonly daysOverdue: number;
}

/**
 * The organization's reporting store: what its own peer showed it, fed only by the listener. Both backends
 * (embedded PGlite, PostgreSQL) implement it over the same schema.
 */
export interface ReportStore {
  readonly backend: 'embedded' | 'postgresql';
  /** The last block fully applied, or undefined before the first. */
  checkpoint(): Promise<bigint | undefined>;
  /** Applies a batch and moves the checkpoint, in one transaction: all of it or nothing. */
  apply(batch: Readonly<AppliedBatch>): Promise<void>;
  /** The block of an applied transaction, or undefined when not (yet) applied. */
  transactionBlock(transactionId: string): Promise<bigint | undefined>;
  report(query: Readonly<StoreReportQuery>): Promise<StoreReport>;
  /**
   * The same page as {@link ReportStore.report}, its rows as JSON text (see {@link StoreReportJson}).
   * @throws {Error} for a cursor this store did not write, as `report`.
   */
  reportJson(query: Readonly<StoreReportQuery>): Promise<StoreReportJson>;
  campaigns(): Promise<CampaignSummary[]>;
  /** Invoices, optionally of one campaign, with their aging as of `asOfDate` (`YYYY-MM-DD`). */
  invoices(asOfDate: string, campaignId?: string): Promise<StoredInvoice[]>;
  /** Counts of stored records, for tests and the dashboard. */
  counts(): Promise<{ rows: number; campaigns: number; invoices: number; transactions: number }>;
  close(): Promise<void>;
}
