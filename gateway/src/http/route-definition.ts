import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '../auth/api-keys';
import type { Permission } from '../auth/permissions';
import type { LedgerClient } from '../ledger/ledger-client';
import type { LedgerContract } from '../ledger/ledger-contract';

/** What a handler sees. */
export interface RouteContext<P, Q, B> {
  readonly principal: Principal;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The typed chaincode: one method per transaction of the contract. */
  readonly contract: LedgerContract;
  /** The transport underneath (events, organizations). */
  readonly ledger: LedgerClient;
  readonly req: Request;
  readonly res: Response;
}

/** A JSON answer; `undefined` from a handler means it wrote the response itself (CSV, SSE). */
export interface RouteResult<D = unknown> {
  readonly status?: number;
  readonly data: D;
  readonly transactionId?: string;
  /** The block that committed a write: answered as `block` and in the X-Committed-Block header. */
  readonly block?: bigint;
}

/** One endpoint: its schemas drive request validation and the OpenAPI document. */
export interface RouteDefinition<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
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
  /** The schema of `data` in a success response (the transaction's result schema). */
  readonly response?: R;
  /** Status of a success, 200 unless given. */
  readonly successStatus?: number;
  /** Success responses that replace the JSON envelope in the document (e.g. CSV, SSE). */
  readonly responses?: Readonly<Record<string, ResponseConfig>>;
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<RouteResult<z.input<R>> | undefined>;
}

/** Registers one route; given to each resource module. */
export type RegisterRoute = <P extends z.ZodObject, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  definition: RouteDefinition<P, Q, B, R>,
) => void;
