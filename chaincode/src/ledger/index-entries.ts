import { idSchema } from '@adrecon/contract';
import { z } from 'zod';
import { recordParser } from '../arguments.js';

const campaignIndex = recordParser(z.strictObject({ campaignId: idSchema }), 'campaignIndex');
const invoiceIndex = recordParser(z.strictObject({ invoiceId: idSchema }), 'invoiceIndex');

/** The campaign ID of a `campaignByParty` index entry. */
export function parseCampaignIndex(value: unknown): string {
  return campaignIndex(value).campaignId;
}

/** The invoice ID of an `invoiceByLineItem` index entry. */
export function parseInvoiceIndex(value: unknown): string {
  return invoiceIndex(value).invoiceId;
}
