import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { PeerProfile } from './network-profile';

/**
 * How soon a gRPC channel retries a connection to a peer that is down. grpc-js backs off from 1 s by ×1.6 up to
 * 120 s by default, so after a long outage a returned peer is not dialled again for up to two minutes; a small
 * bound makes the channel notice the peer within about `maxMs` of its return, at the cost of one TCP dial per
 * `maxMs` while it is down.
 */
export interface ReconnectBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** The bound used when none is configured: first retry after 250 ms, then at most every 2 s. */
export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackoff = { initialMs: 250, maxMs: 2_000 };

/** The grpc-js channel options for one peer: TLS host name override, keepalive, bounded reconnect backoff. */
export function peerChannelOptions(
  peer: Readonly<PeerProfile>,
  backoff: Readonly<ReconnectBackoff> = DEFAULT_RECONNECT_BACKOFF,
): grpc.ChannelOptions {
  return {
    'grpc.ssl_target_name_override': peer.hostAlias,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.initial_reconnect_backoff_ms': backoff.initialMs,
    'grpc.max_reconnect_backoff_ms': backoff.maxMs,
  };
}

/**
 * A TLS gRPC client to one peer, trusting the peer's TLS root certificate from the profile.
 * @throws {Error} when the certificate file cannot be read.
 */
export function newPeerClient(
  peer: Readonly<PeerProfile>,
  backoff: Readonly<ReconnectBackoff> = DEFAULT_RECONNECT_BACKOFF,
): grpc.Client {
  const credentials = grpc.credentials.createSsl(fs.readFileSync(peer.tlsRootCertPath));
  return new grpc.Client(peer.endpoint, credentials, peerChannelOptions(peer, backoff));
}
