import * as crypto from 'node:crypto';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../auth/api-keys';
import { roleAllows, type Permission } from '../auth/permissions';
import { AppError, isAppError } from '../errors';
import type { IdempotencyStore } from '../idempotency/idempotency-store';
import type { LedgerClient } from '../ledger/ledger-client';
import { canonicalJson } from './canonical-json';
import { awaitConsistency, blockNumberSchema, minBlockHeaderSchema, setCommittedBlock } from './consistency';
import { errorBodySchema } from './schemas';

/** What a handler sees. */
export interface RouteContext<P, Q, B> {
  readonly principal: Principal;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly ledger: LedgerClient;
  readonly req: Request;
  readonly res: Response;
}

/** A JSON answer; `undefined` means the handler wrote the response itself (CSV, SSE). */
export interface RouteResult {
  readonly status?: number;
  readonly data: unknown;
  readonly transactionId?: string;
  /** The block that committed a write: answered as `block` and in the X-Committed-Block header. */
  readonly block?: bigint;
}

/** One endpoint: its schemas drive both request validation and the OpenAPI document. */
export interface RouteDefinition<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType = z.ZodType,
> {
  readonly method: 'get' | 'post';
  /** OpenAPI-style path: `/campaigns/{campaignId}`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly permission: Permission;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Status of a success, 200 unless given. */
  readonly successStatus?: number;
  /** Extra success responses for the document (e.g. CSV, SSE). */
  readonly responses?: Readonly<Record<string, ResponseConfig>>;
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<RouteResult | undefined>;
}

/** Identity helper that keeps a route's schema types for its handler. */
export function defineRoute<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  definition: RouteDefinition<P, Q, B>,
): RouteDefinition<P, Q, B> {
  return definition;
}

const emptyObject = z.strictObject({});

function validate<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    const first = details[0];
    throw new AppError('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : `invalid ${where}`, {
      details,
    });
  }
  return parsed.data;
}

/** The authenticated principal (set by the authentication middleware). */
export function principalOf(res: Response): Principal {
  const principal = (res.locals as { principal?: Principal }).principal;
  if (principal === undefined) throw new AppError('UNAUTHENTICATED', 'missing API key');
  return principal;
}

function errorBody(err: AppError): unknown {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.transactionId === undefined ? {} : { transactionId: err.transactionId }),
    },
  };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Registers one route; given to each resource module. */
export type RegisterRoute = <P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  definition: RouteDefinition<P, Q, B>,
) => void;

/** Dependencies of {@link registerRoute}. */
export interface RouteDeps {
  readonly ledger: LedgerClient;
  readonly idempotency: IdempotencyStore;
  /** How long a request with a consistency token may wait for its block (X-Min-Block). */
  readonly consistencyTimeoutMs: number;
}

function toExpressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

/**
 * Mounts a route on the app (authorization, validation, idempotency for POST) and adds it to the OpenAPI registry.
 */
export function registerRoute<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  app: Express,
  registry: OpenAPIRegistry,
  deps: RouteDeps,
  definition: RouteDefinition<P, Q, B>,
): void {
  const successStatus = definition.successStatus ?? 200;
  registry.registerPath({
    method: definition.method,
    path: definition.path,
    summary: definition.summary,
    tags: [definition.tag],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    request: {
      ...(definition.params ? { params: definition.params } : {}),
      ...(definition.query ? { query: definition.query } : {}),
      ...(definition.body ? { body: { content: { 'application/json': { schema: definition.body } } } } : {}),
      headers:
        definition.method === 'post'
          ? minBlockHeaderSchema.extend({ 'Idempotency-Key': z.string().max(255).optional() })
          : minBlockHeaderSchema,
    },
    responses: {
      [String(successStatus)]: {
        description:
          'Success: `{"data": ..., "transactionId"?: ..., "block"?: ...}`; a write also answers its block in the ' +
          'X-Committed-Block header (the consistency token to send as X-Min-Block to any organization)',
        content: {
          'application/json': {
            schema: z.object({
              data: z.unknown(),
              transactionId: z.string().optional(),
              block: blockNumberSchema.optional(),
            }),
          },
        },
      },
      ...definition.responses,
      default: { description: 'Error', content: { 'application/json': { schema: errorBodySchema } } },
    },
  });

  const handle = async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(res);
    if (!roleAllows(principal.role, definition.permission)) {
      throw new AppError('FORBIDDEN', `role ${principal.role} may not ${definition.permission}`);
    }
    const rawBody: unknown = req.body ?? {};
    const params = validate(definition.params ?? emptyObject, req.params, 'params') as z.output<P>;
    const query = validate(definition.query ?? emptyObject, req.query, 'query') as z.output<Q>;
    const body = (
      definition.method === 'post' ? validate(definition.body ?? emptyObject, rawBody, 'body') : undefined
    ) as z.output<B>;
    const context = { principal, params, query, body, ledger: deps.ledger, req, res };

    const send = (status: number, payload: unknown): void => {
      res.status(status).json(payload);
    };
    const run = async (): Promise<{ status: number; payload: unknown } | undefined> => {
      await awaitConsistency(req, {
        ledger: deps.ledger,
        org: principal.mspId,
        scope: definition.method === 'post' ? 'endorsers' : 'organization',
        timeoutMs: deps.consistencyTimeoutMs,
      });
      const result = await definition.handler(context);
      if (result === undefined) return undefined;
      if (result.transactionId !== undefined)
        (res.locals as { transactionId?: string }).transactionId = result.transactionId;
      if (result.block !== undefined) setCommittedBlock(res, result.block);
      const payload = {
        data: result.data,
        ...(result.transactionId === undefined ? {} : { transactionId: result.transactionId }),
        ...(result.block === undefined ? {} : { block: result.block.toString() }),
      };
      return { status: result.status ?? successStatus, payload };
    };

    const key = req.get('idempotency-key');
    if (definition.method !== 'post' || key === undefined) {
      const outcome = await run();
      if (outcome) send(outcome.status, outcome.payload);
      return;
    }
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1..255 printable ASCII characters');
    }
    const requestHash = crypto
      .createHash('sha256')
      .update(`${req.method} ${req.path}\n${canonicalJson(rawBody)}`)
      .digest('hex');
    const claim = deps.idempotency.begin(principal.clientId, key, requestHash);
    if (claim.kind === 'mismatch') {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with another request body');
    }
    if (claim.kind === 'in-progress') {
      throw new AppError('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still in progress');
    }
    if (claim.kind === 'replay') {
      res.set('Idempotent-Replayed', 'true');
      const replayedBlock = (claim.response.body as { block?: unknown } | null)?.block;
      if (typeof replayedBlock === 'string') setCommittedBlock(res, BigInt(replayedBlock));
      send(claim.response.status, claim.response.body);
      return;
    }
    try {
      const outcome = await run();
      if (outcome === undefined) {
        deps.idempotency.abandon(principal.clientId, key);
        return;
      }
      deps.idempotency.complete(principal.clientId, key, requestHash, {
        status: outcome.status,
        body: outcome.payload,
      });
      send(outcome.status, outcome.payload);
    } catch (err) {
      // Deterministic refusals are remembered; server-side and ambiguous failures may be retried with the key.
      if (isAppError(err) && err.status < 500) {
        deps.idempotency.complete(principal.clientId, key, requestHash, { status: err.status, body: errorBody(err) });
      } else {
        deps.idempotency.abandon(principal.clientId, key);
      }
      throw err;
    }
  };

  app[definition.method](toExpressPath(definition.path), handle);
}
