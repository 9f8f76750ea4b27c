import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import type { Principal } from '../auth/api-keys';
import { AppError } from '../errors';

/** Requests allowed per window; 0 turns a limit off. Configured by `ADRECON_RATE_LIMIT_*` (docs/api.md). */
export interface RateLimits {
  /** Per API key, on every authenticated request. */
  readonly perKey: number;
  /** Per source address, on the paths that need no key and on requests whose key is refused. */
  readonly perAddress: number;
  /** The window both count in, in milliseconds. */
  readonly windowMs: number;
}

/** The defaults: generous for a busy integration (100 requests/s per key), tight for anonymous callers. */
export const DEFAULT_RATE_LIMITS: RateLimits = { perKey: 6_000, perAddress: 600, windowMs: 60_000 };

/** The paths served without a key (operations and the API's own description). */
export const UNAUTHENTICATED_PATHS = ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'];

/** Answers over the limit as the API's JSON error: 429 `RATE_LIMITED` with `Retry-After` (seconds to the reset). */
function refuse(what: string): Options['handler'] {
  return (req: Request, _res: Response, next: NextFunction) => {
    const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const retryAfterSeconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + 1000) - Date.now()) / 1000));
    next(
      new AppError('RATE_LIMITED', `too many requests ${what}; retry after ${String(retryAfterSeconds)} s`, {
        retryAfterSeconds,
      }),
    );
  };
}

const passThrough: RequestHandler = (_req, _res, next) => {
  next();
};

/** Counted per source address; on the unauthenticated paths. */
export function addressLimiter(limits: Readonly<RateLimits>): RequestHandler {
  if (limits.perAddress === 0) return passThrough;
  return rateLimit({
    windowMs: limits.windowMs,
    limit: limits.perAddress,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: refuse('from this address'),
  });
}

/**
 * Counted per source address, only for requests whose key is refused (401): guessing keys is bounded. Requests
 * with an accepted key never touch this count (an open event stream must not hold a slot of its address).
 */
export function failedAuthenticationLimiter(limits: Readonly<RateLimits>): RequestHandler {
  if (limits.perAddress === 0) return passThrough;
  return rateLimit({
    windowMs: limits.windowMs,
    limit: limits.perAddress,
    standardHeaders: false,
    legacyHeaders: false,
    handler: refuse('with refused API keys from this address'),
  });
}

/**
 * Runs `authenticate`; when it refuses the key (UNAUTHENTICATED), counts the refusal with `limiter`, which answers
 * 429 `RATE_LIMITED` instead once the address is over its limit.
 */
export function limitRefusedKeys(authenticate: RequestHandler, limiter: RequestHandler): RequestHandler {
  return (req, res, next) => {
    void authenticate(req, res, (err?: unknown) => {
      if (!(err instanceof AppError) || err.code !== 'UNAUTHENTICATED') {
        next(err);
        return;
      }
      void limiter(req, res, (limited?: unknown) => {
        next(limited ?? err);
      });
    });
  };
}

/** Counted per API key (its client ID), after authentication. */
export function keyLimiter(limits: Readonly<RateLimits>): RequestHandler {
  if (limits.perKey === 0) return passThrough;
  return rateLimit({
    windowMs: limits.windowMs,
    limit: limits.perKey,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => (res.locals as { principal?: Principal }).principal?.clientId ?? 'unknown',
    handler: refuse('with this API key'),
  });
}
