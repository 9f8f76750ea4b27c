/** The consortium roles an organization can hold. */
export const ROLES = ['ADVERTISER', 'AGENCY', 'PUBLISHER'] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** Whose counts are billed when the two sides agree within tolerance. */
export const BILLING_SOURCES = ['THIRD_PARTY', 'FIRST_PARTY'] as const;
/** One of {@link BILLING_SOURCES}. */
export type BillingSource = (typeof BILLING_SOURCES)[number];

/**
 * What a line item bills (its billable unit): gross impressions at a CPM (`IMPRESSIONS`, the default), viewable
 * impressions at a vCPM (`VIEWABLE_IMPRESSIONS`, the MRC viewability standard: both sides' viewable counts are
 * compared and billed), or a flat fee for the whole flight (`FLAT_FEE`, sponsorships: spread over the flight days).
 */
export const BILLABLE_UNITS = ['IMPRESSIONS', 'VIEWABLE_IMPRESSIONS', 'FLAT_FEE'] as const;
/** One of {@link BILLABLE_UNITS}. */
export type BillableUnit = (typeof BILLABLE_UNITS)[number];

/** A campaign's lifecycle status. */
export const CAMPAIGN_STATUSES = ['PROPOSED', 'ACTIVE', 'COMPLETED', 'CANCELLED'] as const;
/** One of {@link CAMPAIGN_STATUSES}. */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** FIRST_PARTY: the line item's publisher counted; THIRD_PARTY: the campaign's agency (its ad server) counted. */
export const REPORT_SOURCES = ['FIRST_PARTY', 'THIRD_PARTY'] as const;
/** One of {@link REPORT_SOURCES}. */
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** ISSUED → PARTIALLY_PAID → PAID as payments arrive. */
export const INVOICE_STATUSES = ['ISSUED', 'PARTIALLY_PAID', 'PAID'] as const;
/** One of {@link INVOICE_STATUSES}. */
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * Why a credit note corrects an invoice: a dispute resolved after invoicing, invalid traffic found later, or a
 * make-good that was not delivered.
 */
export const CREDIT_NOTE_REASONS = ['DISPUTE_RESOLVED', 'INVALID_TRAFFIC', 'MAKE_GOOD_NOT_DELIVERED'] as const;
/** One of {@link CREDIT_NOTE_REASONS}. */
export type CreditNoteReason = (typeof CREDIT_NOTE_REASONS)[number];

/** A credit note is ISSUED by the publisher, then ACCEPTED by the buyer; only accepted notes reduce what is owed. */
export const CREDIT_NOTE_STATUSES = ['ISSUED', 'ACCEPTED'] as const;
/** One of {@link CREDIT_NOTE_STATUSES}. */
export type CreditNoteStatus = (typeof CREDIT_NOTE_STATUSES)[number];

/** A make-good is PROPOSED by the publisher, ACCEPTED once the advertiser and the agency both accepted it. */
export const MAKE_GOOD_STATUSES = ['PROPOSED', 'ACCEPTED'] as const;
/** One of {@link MAKE_GOOD_STATUSES}. */
export type MakeGoodStatus = (typeof MAKE_GOOD_STATUSES)[number];

/** The state of one line item's day. */
export const RECONCILIATION_STATUSES = ['PENDING', 'WITHIN_TOLERANCE', 'DISPUTED', 'RESOLVED'] as const;
/** One of {@link RECONCILIATION_STATUSES}. */
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];

/**
 * Which count a reconciliation row bills: the campaign's billing source within tolerance, the agreed count of a
 * resolved dispute, the only side's count once the reporting window has passed without the other side, or nothing.
 */
export const BILLING_BASES = [
  'FIRST_PARTY',
  'THIRD_PARTY',
  'AGREED',
  'FIRST_PARTY_ONLY',
  'THIRD_PARTY_ONLY',
  'NONE',
] as const;
/** One of {@link BILLING_BASES}. */
export type BillingBasis = (typeof BILLING_BASES)[number];

/** PUBLISHER: the line item's publisher; BUYER: the campaign's advertiser or agency. */
export const RESOLUTION_SIDES = ['PUBLISHER', 'BUYER'] as const;
/** One of {@link RESOLUTION_SIDES}. */
export type ResolutionSide = (typeof RESOLUTION_SIDES)[number];

/** PROPOSED until the other side accepts the agreed count. */
export const RESOLUTION_STATUSES = ['PROPOSED', 'ACCEPTED'] as const;
/** One of {@link RESOLUTION_STATUSES}. */
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];

/** PENDING until the subject organization and a majority of the others approved it, then APPLIED. */
export const ROLE_CHANGE_STATUSES = ['PENDING', 'APPLIED'] as const;
/** One of {@link ROLE_CHANGE_STATUSES}. */
export type RoleChangeStatus = (typeof ROLE_CHANGE_STATUSES)[number];
