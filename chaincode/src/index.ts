/**
 * The adrecon chaincode: campaign terms, delivery reports, reconciliation, invoices and payments. Run as a
 * service with `fabric-chaincode-node server`, which loads the `contracts` exported here. See `docs/chaincode.md`.
 *
 * @packageDocumentation
 */
import 'reflect-metadata';
import { BillingContract } from './contracts/billing-contract.js';
import { CampaignsContract } from './contracts/campaigns-contract.js';
import { DeliveryContract } from './contracts/delivery-contract.js';
import { ReconciliationContract } from './contracts/reconciliation-contract.js';
import { RolesContract } from './contracts/roles-contract.js';
import { gateDisabledLogLevels } from './log-level-gate.js';

gateDisabledLogLevels();

export { BillingContract, CampaignsContract, DeliveryContract, ReconciliationContract, RolesContract };
export { parseTransactionArguments } from './arguments.js';
export { ERROR_CODES, ChaincodeError, type ErrorCode } from './errors.js';
export { EVENTS, type EventName } from './events.js';

/** The contracts of the chaincode, in the order fabric-contract-api registers them. */
export const contracts = [RolesContract, CampaignsContract, DeliveryContract, ReconciliationContract, BillingContract];
