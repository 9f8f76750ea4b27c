/**
 * Every limit the ledger enforces, in one place. The chaincode refuses what passes none of them and the REST API
 * validates with the same schemas, so the two cannot disagree.
 */
export const LIMITS = {
  /** Longest identifier (campaign, line item, report, invoice, payment). */
  idLength: 64,
  /** Longest MSP ID. */
  mspIdLength: 64,
  /** Most line items one campaign may hold: it bounds the work of every transaction on the campaign. */
  lineItems: 100,
  /** Longest campaign name. */
  nameLength: 200,
  /** Highest discrepancy tolerance in basis points (100 %). */
  toleranceBps: 10_000,
  /** Default discrepancy tolerance: 10 %, the IAB guideline. */
  defaultToleranceBps: 1000,
  /** Default make-good threshold: a line item ending more than 5 % under-delivered (the IPA's norm) may get one. */
  defaultMakeGoodThresholdBps: 500,
  /**
   * Longest payment term in days. The ledger's rule (ten years) is kept: long public-sector and framework terms
   * exist, and a ledger that refused a stored campaign on read would be worse than a generous bound.
   */
  paymentTermsDays: 3650,
  /** Default payment term: net 30. */
  defaultPaymentTermsDays: 30,
  /** Longest cancellation reason. */
  reasonLength: 500,
  /** Longest payment reference. */
  referenceLength: 200,
  /** Most reports one `delivery:SubmitBatch` may carry. */
  batchReports: 500,
  /** Most entries one `roles:SetRoles` may carry. */
  roleEntries: 200,
  /** Most approvals one role change may collect. */
  roleChangeApprovals: 1000,
  /** Largest page of a paginated list. */
  pageSize: 200,
  /** Page size when none is asked for. */
  defaultPageSize: 50,
  /** Longest bookmark a paginated list accepts (Fabric's bookmarks of our keys stay far below). */
  bookmarkLength: 1024,
  /** Longest Fabric transaction ID a record stores. */
  txIdLength: 256,
  /** Most billed days one invoice may list. */
  invoicePeriods: 100_000,
  /** Longest reporting window in days: after it, a day with one side's count is billed on that count. */
  reportingWindowDays: 90,
  /** Default reporting window: 7 days, as in the industry's monthly close. */
  defaultReportingWindowDays: 7,
  /**
   * Longest flight of a line item in days (three years). With one count per side and hour, it bounds what any
   * transaction reads of a line item: at most 48 counts a day.
   */
  flightDays: 1096,
  /** Highest campaign version number (nine digits: versions are key attributes padded to nine). */
  version: 999_999_999,
} as const;
