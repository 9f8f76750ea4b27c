import * as path from 'node:path';
import { z } from 'zod';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limits';
import { DEFAULT_EVENT_LIMITS, type EventHubLimits } from './events/event-hub';
import { DEFAULT_COMMIT_PROBE_MS } from './ledger/fabric-ledger-client';

/** Root of the monorepo (this file runs from gateway/dist/src). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Environment variables read by the gateway, with defaults. Every one is documented in docs/api.md.
 */
const envSchema = z.object({
  /** TCP port to listen on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; loopback by default. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * The organization's gateway profile (`profile.json` of its bundle, written by the network scripts): its one
   * client identity, its peers and their TLS root certificate. Required to serve the API.
   */
  ADRECON_GATEWAY_PROFILE: z.string().min(1).optional(),
  /** The MSP ID this gateway serves; when set, a profile of another organization refuses to start. */
  ADRECON_ORGANIZATION: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,64}$/, 'an MSP ID')
    .optional(),
  /** Hashed API keys of the organization's users; default `api-keys.json` beside the gateway profile. */
  ADRECON_API_KEYS_FILE: z.string().min(1).optional(),
  /** Directory for the gateway's own state (idempotency log); default `state/` beside the gateway profile. */
  ADRECON_STATE_DIR: z.string().min(1).optional(),
  /** Fabric CA's client, which the user CLIs run to register, enroll and revoke the organization's users. */
  ADRECON_FABRIC_CA_CLIENT: z.string().min(1).default('fabric-ca-client'),
  /**
   * Every organization's profile on one development machine: read only by the ledger audit, which reads every
   * organization's peer. The REST gateway never reads it.
   */
  ADRECON_NETWORK_PROFILE: z.string().min(1).default(path.join(REPO_ROOT, 'network/run/network-profile.json')),
  ADRECON_EVALUATE_TIMEOUT_MS: positiveInt(5_000),
  ADRECON_ENDORSE_TIMEOUT_MS: positiveInt(15_000),
  ADRECON_SUBMIT_TIMEOUT_MS: positiveInt(5_000),
  ADRECON_COMMIT_STATUS_TIMEOUT_MS: positiveInt(60_000),
  /**
   * How long one peer is asked for a submitted transaction's commit status before the same envelope is sent again
   * through the organization's next peer (see `DEFAULT_COMMIT_PROBE_MS` in the ledger client).
   */
  ADRECON_COMMIT_PROBE_MS: positiveInt(DEFAULT_COMMIT_PROBE_MS),
  /**
   * How many times a write that lost a race with a concurrent writer (MVCC conflict, or a key-level endorsement
   * policy set by the winner) is retried with a new proposal.
   */
  ADRECON_MVCC_RETRIES: z.coerce.number().int().min(0).max(10).default(6),
  ADRECON_BODY_LIMIT_BYTES: positiveInt(1_048_576),
  ADRECON_IDEMPOTENCY_TTL_HOURS: positiveInt(24),
  /** Idempotency responses kept at most; beyond it the oldest keys are forgotten before their TTL. */
  ADRECON_IDEMPOTENCY_MAX_ENTRIES: positiveInt(100_000),
  ADRECON_SSE_HEARTBEAT_MS: positiveInt(15_000),
  /** Events the gateway keeps in memory per organization for clients that resume with Last-Event-ID. */
  ADRECON_EVENT_BUFFER_EVENTS: positiveInt(DEFAULT_EVENT_LIMITS.bufferEvents),
  /** Open event streams (SSE clients) in all; the next one answers 429. */
  ADRECON_SSE_MAX_STREAMS: positiveInt(DEFAULT_EVENT_LIMITS.maxStreams),
  /** Open event streams of one API key; the next one answers 429. */
  ADRECON_SSE_MAX_STREAMS_PER_KEY: positiveInt(DEFAULT_EVENT_LIMITS.maxStreamsPerKey),
  /** Unsent bytes an event stream may accumulate before the slow client is disconnected. */
  ADRECON_SSE_MAX_BACKLOG_BYTES: positiveInt(DEFAULT_EVENT_LIMITS.maxBacklogBytes),
  ADRECON_RETRY_AFTER_SECONDS: positiveInt(5),
  /** How long a request carrying X-Min-Block may wait for its organization's peer to commit that block. */
  ADRECON_CONSISTENCY_TIMEOUT_MS: positiveInt(10_000),
  ADRECON_SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  /** The reporting store and its block listener (`on`, default), or `off` (reports only from the chaincode). */
  ADRECON_REPORTING: z.enum(['on', 'off']).default('on'),
  /** A PostgreSQL URL for the reporting store; unset: the embedded database in ADRECON_REPORTING_DIR. */
  ADRECON_REPORTING_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgresql:// URL')
    .optional(),
  /** The embedded reporting database's directory; default `reporting/` in the state directory. */
  ADRECON_REPORTING_DIR: z.string().min(1).optional(),
  /** Requests per window per API key (0: no limit). */
  ADRECON_RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.perKey),
  /** Requests per window per source address on the paths without a key, and refused keys (0: no limit). */
  ADRECON_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.perAddress),
  /** The rate limits' window. */
  ADRECON_RATE_LIMIT_WINDOW_MS: positiveInt(DEFAULT_RATE_LIMITS.windowMs),
  /** How long one `/readyz` answer is reused, so that probes do not become peer load (0: ask every time). */
  ADRECON_READYZ_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /**
   * How long an idle keep-alive connection stays open. Longer than the idle timeout of common HTTP clients (Node's
   * agent: 5 s), so the gateway never closes a connection just as a client reuses it (the client would see a reset).
   */
  ADRECON_KEEP_ALIVE_TIMEOUT_MS: positiveInt(65_000),
  /** First pause before a gRPC channel dials a peer that is down again. */
  ADRECON_GRPC_INITIAL_RECONNECT_BACKOFF_MS: positiveInt(250),
  /** Longest pause between two dials of a peer that is down: how late the gateway may notice its return. */
  ADRECON_GRPC_MAX_RECONNECT_BACKOFF_MS: positiveInt(2_000),
});

/** The validated configuration. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** The organization's gateway profile; undefined when not configured (the gateway then refuses to start). */
  readonly gatewayProfilePath: string | undefined;
  /** The MSP ID the operator says this gateway serves, if given. */
  readonly organization: string | undefined;
  /** Undefined only when neither it nor the gateway profile is configured. */
  readonly apiKeysFile: string | undefined;
  /** Undefined only when neither it nor the gateway profile is configured. */
  readonly stateDir: string | undefined;
  /** The `fabric-ca-client` executable. */
  readonly fabricCaClient: string;
  /** Every organization's profile, for the ledger audit. */
  readonly networkProfilePath: string;
  readonly timeouts: Readonly<{ evaluateMs: number; endorseMs: number; submitMs: number; commitStatusMs: number }>;
  readonly mvccRetries: number;
  readonly bodyLimitBytes: number;
  readonly idempotencyTtlMs: number;
  readonly idempotencyMaxEntries: number;
  readonly sseHeartbeatMs: number;
  readonly eventLimits: Readonly<EventHubLimits>;
  readonly retryAfterSeconds: number;
  readonly consistencyTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  /** The reporting store: off, or where it lives (a PostgreSQL URL, else the embedded database's directory). */
  readonly reporting: Readonly<{ enabled: boolean; databaseUrl: string | undefined; directory: string | undefined }>;
  readonly readinessCacheMs: number;
  readonly rateLimits: RateLimits;
  readonly keepAliveTimeoutMs: number;
  readonly reconnectBackoff: Readonly<{ initialMs: number; maxMs: number }>;
  /** How long one peer is asked for a commit status before the envelope is sent again through the next peer. */
  readonly commitProbeMs: number;
}

/** Thrown by {@link loadConfig} with one line per invalid variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the configuration. Relative paths are resolved against the current directory.
 * @throws {ConfigError} when a variable is invalid.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(defined);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid gateway configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.ADRECON_GRPC_MAX_RECONNECT_BACKOFF_MS < e.ADRECON_GRPC_INITIAL_RECONNECT_BACKOFF_MS) {
    throw new ConfigError(
      'invalid gateway configuration:\n  ADRECON_GRPC_MAX_RECONNECT_BACKOFF_MS: must not be below ADRECON_GRPC_INITIAL_RECONNECT_BACKOFF_MS',
    );
  }
  const profile = e.ADRECON_GATEWAY_PROFILE === undefined ? undefined : path.resolve(e.ADRECON_GATEWAY_PROFILE);
  const besideProfile = (value: string | undefined, name: string): string | undefined => {
    if (value !== undefined) return path.resolve(value);
    return profile === undefined ? undefined : path.join(path.dirname(profile), name);
  };
  const stateDir = besideProfile(e.ADRECON_STATE_DIR, 'state');
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    gatewayProfilePath: profile,
    organization: e.ADRECON_ORGANIZATION,
    apiKeysFile: besideProfile(e.ADRECON_API_KEYS_FILE, 'api-keys.json'),
    stateDir,
    fabricCaClient: e.ADRECON_FABRIC_CA_CLIENT,
    networkProfilePath: path.resolve(e.ADRECON_NETWORK_PROFILE),
    timeouts: {
      evaluateMs: e.ADRECON_EVALUATE_TIMEOUT_MS,
      endorseMs: e.ADRECON_ENDORSE_TIMEOUT_MS,
      submitMs: e.ADRECON_SUBMIT_TIMEOUT_MS,
      commitStatusMs: e.ADRECON_COMMIT_STATUS_TIMEOUT_MS,
    },
    mvccRetries: e.ADRECON_MVCC_RETRIES,
    bodyLimitBytes: e.ADRECON_BODY_LIMIT_BYTES,
    idempotencyTtlMs: e.ADRECON_IDEMPOTENCY_TTL_HOURS * 3_600_000,
    idempotencyMaxEntries: e.ADRECON_IDEMPOTENCY_MAX_ENTRIES,
    sseHeartbeatMs: e.ADRECON_SSE_HEARTBEAT_MS,
    eventLimits: {
      bufferEvents: e.ADRECON_EVENT_BUFFER_EVENTS,
      maxStreams: e.ADRECON_SSE_MAX_STREAMS,
      maxStreamsPerKey: e.ADRECON_SSE_MAX_STREAMS_PER_KEY,
      maxBacklogBytes: e.ADRECON_SSE_MAX_BACKLOG_BYTES,
    },
    retryAfterSeconds: e.ADRECON_RETRY_AFTER_SECONDS,
    consistencyTimeoutMs: e.ADRECON_CONSISTENCY_TIMEOUT_MS,
    shutdownTimeoutMs: e.ADRECON_SHUTDOWN_TIMEOUT_MS,
    reporting: {
      enabled: e.ADRECON_REPORTING === 'on',
      databaseUrl: e.ADRECON_REPORTING_DATABASE_URL,
      directory:
        e.ADRECON_REPORTING_DIR === undefined
          ? stateDir === undefined
            ? undefined
            : path.join(stateDir, 'reporting')
          : path.resolve(e.ADRECON_REPORTING_DIR),
    },
    readinessCacheMs: e.ADRECON_READYZ_CACHE_MS,
    rateLimits: {
      perKey: e.ADRECON_RATE_LIMIT_PER_KEY,
      perAddress: e.ADRECON_RATE_LIMIT_PER_ADDRESS,
      windowMs: e.ADRECON_RATE_LIMIT_WINDOW_MS,
    },
    keepAliveTimeoutMs: e.ADRECON_KEEP_ALIVE_TIMEOUT_MS,
    commitProbeMs: e.ADRECON_COMMIT_PROBE_MS,
    reconnectBackoff: {
      initialMs: e.ADRECON_GRPC_INITIAL_RECONNECT_BACKOFF_MS,
      maxMs: e.ADRECON_GRPC_MAX_RECONNECT_BACKOFF_MS,
    },
  };
}
