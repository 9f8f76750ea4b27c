import type { Context } from 'fabric-contract-api';
import { ValidationError } from './errors.js';
import { txTimeMs } from './ledger/tx-time.js';

/**
 * How far a proposal's transaction timestamp may be from the endorsing peer's clock: 5 minutes, the order of
 * Fabric's own default for the orderer's and the gateway's clock checks. Clients with a synchronized clock (NTP)
 * never come near it.
 */
export const TX_TIME_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * Refuses to endorse a proposal whose transaction timestamp (chosen by the submitter, and the only time the
 * chaincode ever writes) is further than {@link TX_TIME_TOLERANCE_MS} from this peer's clock.
 *
 * This is the one place the chaincode reads a clock, and it only decides whether this peer endorses: nothing read
 * from the clock is ever written or returned, so every endorser that accepts the proposal computes the same write
 * set from the transaction timestamp alone. Endorsers whose clocks differ by a few seconds may disagree only for a
 * proposal within seconds of the limit, and then the transaction simply lacks an endorsement.
 *
 * @param peerNowMs the peer's clock, in milliseconds since the epoch.
 * @throws ValidationError when the timestamp is too far in the past or the future.
 */
export function requireTimelyProposal(ctx: Context, peerNowMs: number = Date.now()): void {
  const txMs = txTimeMs(ctx);
  const skew = txMs - peerNowMs;
  if (Math.abs(skew) > TX_TIME_TOLERANCE_MS) {
    throw new ValidationError(
      `the transaction timestamp ${new Date(txMs).toISOString()} is ${String(Math.round(Math.abs(skew) / 1000))} s ${
        skew < 0 ? 'behind' : 'ahead of'
      } the endorsing peer's clock; at most ${String(TX_TIME_TOLERANCE_MS / 1000)} s is accepted`,
    );
  }
}
