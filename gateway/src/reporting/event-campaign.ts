import type { BlockEvent } from './ledger-block';

/**
 * The part of a campaign an event changed: its line items, each from a day on (undefined: the whole line item), or
 * the whole campaign (`lineItems` undefined: terms, status, parties may have changed).
 */
export interface ChangedScope {
  /** Line item → the first UTC day (`YYYY-MM-DD`) whose rows may have changed, or undefined for all its days. */
  readonly lineItems: ReadonlyMap<string, string | undefined> | undefined;
  /** Whether invoices may have changed (an event naming an invoice, or the whole campaign). */
  readonly invoices: boolean;
}

/** What the listener must re-read after an event: one campaign (or part of it), or nothing (role changes). */
export interface ChangedRecord {
  readonly campaignId: string | undefined;
  /**
   * Whether the event says this organization cannot see the campaign (its `parties` leave it out): the listener
   * then skips the re-read. Undefined when the event does not say.
   */
  readonly visible: boolean | undefined;
  /** What of the campaign to re-read. */
  readonly scope: ChangedScope;
}

const decoder = new TextDecoder();
const WHOLE: ChangedScope = { lineItems: undefined, invoices: true };
const DAY = /^\d{4}-\d{2}-\d{2}/;

function scopeOf(payload: Readonly<Record<string, unknown>>): ChangedScope {
  const { lineItemId, lineItemIds, periodStart, invoiceId } = payload;
  const ids = typeof lineItemId === 'string' ? [lineItemId] : Array.isArray(lineItemIds) ? lineItemIds : [];
  if (ids.length === 0 || !ids.every((id): id is string => typeof id === 'string')) return WHOLE;
  // Billable counts are capped cumulatively in day order, so a change of one day may change every later day of
  // its line item: the re-read goes from the earliest day named to the end of the line item.
  const from = typeof periodStart === 'string' ? DAY.exec(periodStart)?.[0] : undefined;
  return { lineItems: new Map(ids.map((id) => [id, from])), invoices: typeof invoiceId === 'string' };
}

/**
 * Maps one chaincode event to the record to re-read. This is the ONE place that reads event payloads, and it reads
 * only references (campaign, line items, invoice), the earliest period named and the party list (never record
 * contents), so that payloads can become non-identifying (hashes, opaque references) by changing this function
 * alone.
 */
export function changedRecordOf(event: Readonly<BlockEvent>, organization: string): ChangedRecord {
  let payload: unknown;
  try {
    payload = JSON.parse(decoder.decode(event.payload));
  } catch {
    return { campaignId: undefined, visible: undefined, scope: WHOLE };
  }
  if (typeof payload !== 'object' || payload === null) {
    return { campaignId: undefined, visible: undefined, scope: WHOLE };
  }
  const fields = payload as Record<string, unknown>;
  const { campaignId, parties } = fields;
  return {
    campaignId: typeof campaignId === 'string' ? campaignId : undefined,
    visible: Array.isArray(parties) ? parties.includes(organization) : undefined,
    scope: scopeOf(fields),
  };
}

/** The union of two scopes of one campaign: the whole campaign wins; a line item's earliest day wins. */
export function mergeScopes(a: ChangedScope, b: ChangedScope): ChangedScope {
  if (a.lineItems === undefined || b.lineItems === undefined) return WHOLE;
  const lineItems = new Map(a.lineItems);
  for (const [id, from] of b.lineItems) {
    if (!lineItems.has(id)) {
      lineItems.set(id, from);
      continue;
    }
    const current = lineItems.get(id);
    lineItems.set(id, current === undefined || from === undefined ? undefined : from < current ? from : current);
  }
  return { lineItems, invoices: a.invoices || b.invoices };
}
