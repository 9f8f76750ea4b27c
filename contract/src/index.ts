/**
 * The one contract between the adrecon chaincode and its REST API: every transaction's name, argument and result
 * schemas, error codes, and the limits and enums they use. Plain TypeScript and zod, no Fabric dependency. See
 * `docs/chaincode.md`.
 *
 * @packageDocumentation
 */
export * from './actor.js';
export * from './campaign.js';
export * from './credit-note.js';
export * from './make-good.js';
export * from './decode-arguments.js';
export * from './delivery-report.js';
export * from './enums.js';
export * from './error-codes.js';
export * from './invoice.js';
export * from './limits.js';
export * from './line-item-ref.js';
export * from './merkle-proof.js';
export * from './page.js';
export * from './party-collection.js';
export * from './primitives.js';
export * from './reconciliation.js';
export * from './resolution.js';
export * from './role-entry.js';
export * from './transaction-definition.js';
export * from './transactions.js';
export * from './time-zone.js';
export * from './time-zone-rules.js';
export * from './transient.js';
export * from './user-roles.js';
export * from './validation-message.js';
export * from './zone-calendar.js';
