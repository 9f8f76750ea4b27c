import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Express, Request, Response } from 'express';
import type { z } from 'zod';
import type { IdempotencyStore } from '../idempotency/idempotency-store';
import type { LedgerClient } from '../ledger/ledger-client';
import type { LedgerContract } from '../ledger/ledger-contract';
import { awaitConsistency, setCommittedBlock } from './consistency';
import { runIdempotently, type Outcome } from './idempotent-execution';
import { registerOpenApiPath } from './openapi-route';
import { runAsUser } from '../ledger/acting-user';
import { principalOf, requirePermission } from './permission-check';
import { emptyObjectSchema, validateRequestPart } from './request-validation';
import { envelopeOf } from './response-envelope';
import type { RouteDefinition } from './route-definition';

export type { RegisterRoute, RouteContext, RouteDefinition, RouteResult } from './route-definition';
export { principalOf } from './permission-check';

/** Dependencies of {@link registerRoute}. */
export interface RouteDeps {
  readonly ledger: LedgerClient;
  readonly contract: LedgerContract;
  readonly idempotency: IdempotencyStore;
  /** How long a request with a consistency token may wait for its block (X-Min-Block). */
  readonly consistencyTimeoutMs: number;
}

function toExpressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

/**
 * Mounts a route on the app (permission, validation, consistency token, idempotency for POST, envelope) and adds it
 * to the OpenAPI registry.
 */
export function registerRoute<P extends z.ZodObject, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  app: Express,
  registry: OpenAPIRegistry,
  deps: RouteDeps,
  definition: RouteDefinition<P, Q, B, R>,
): void {
  registerOpenApiPath(registry, definition);
  const successStatus = definition.successStatus ?? 200;

  const handle = async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(res);
    requirePermission(principal, definition.permission);
    const params = validateRequestPart(definition.params ?? emptyObjectSchema, req.params, 'params') as z.output<P>;
    const query = validateRequestPart(definition.query ?? emptyObjectSchema, req.query, 'query') as z.output<Q>;
    const body = (
      definition.method === 'post'
        ? validateRequestPart(definition.body ?? emptyObjectSchema, req.body ?? {}, 'body')
        : undefined
    ) as z.output<B>;
    const context = { principal, params, query, body, contract: deps.contract, ledger: deps.ledger, req, res };
    const run = async (): Promise<Outcome | undefined> => {
      await awaitConsistency(req, {
        ledger: deps.ledger,
        org: principal.mspId,
        scope: definition.method === 'post' ? 'endorsers' : 'organization',
        timeoutMs: deps.consistencyTimeoutMs,
      });
      // The ledger client signs what the handler submits with the calling user's own enrolled identity.
      const user = principal.enrollmentId === undefined ? undefined : { enrollmentId: principal.enrollmentId };
      const result = await runAsUser(user, () => definition.handler(context));
      if (result === undefined) return undefined;
      if (result.transactionId !== undefined)
        (res.locals as { transactionId?: string }).transactionId = result.transactionId;
      if (result.block !== undefined) setCommittedBlock(res, result.block);
      return { status: result.status ?? successStatus, payload: envelopeOf(result) };
    };
    const outcome = await runIdempotently(deps.idempotency, principal.clientId, req, res, run);
    if (outcome) res.status(outcome.status).json(outcome.payload);
  };

  app[definition.method](toExpressPath(definition.path), handle);
}
