import fc from 'fast-check';
import { sample } from 'openapi-sampler';
import type { JSONSchema7 } from 'json-schema';
import type { FuzzOperation, OpenApiDocument, ParameterSpec } from './openapi-operations';
import {
  MALFORMED_BODIES,
  ODD_AUTHORIZATIONS,
  ODD_BLOCK_TOKENS,
  ODD_CONTENT_TYPES,
  ODD_IDEMPOTENCY_KEYS,
  ODD_JSON_VALUES,
  ODD_METHODS,
  ODD_NUMBERS,
  ODD_STRINGS,
} from './fuzz-values';

/** The way a request departs from a well-formed one. */
export type FuzzKind =
  | 'sample'
  | 'body-field'
  | 'body-missing-field'
  | 'body-extra-field'
  | 'body-whole'
  | 'body-malformed'
  | 'path-param'
  | 'query-param'
  | 'content-type'
  | 'method'
  | 'header'
  | 'credentials';

/** One generated request, ready to send as it is. */
export interface FuzzRequest {
  readonly kind: FuzzKind;
  /** The operation it was derived from (`post /campaigns`). */
  readonly operation: string;
  readonly method: string;
  /** Path and query string, already encoded. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A client the fuzzer may send as: its organization's gateway URL, its key and its user role. */
export interface FuzzClient {
  readonly url: string;
  readonly key: string;
  readonly role: string;
}

/** What the generator needs besides the document: who may call, and real identifiers to aim mutations at. */
export interface FuzzContext {
  readonly document: OpenApiDocument;
  readonly clients: readonly FuzzClient[];
  /** Values of path parameters that name existing records (e.g. `campaignId` → a real campaign's ID). */
  readonly knownIds: Readonly<Record<string, readonly string[]>>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function sampleOf(schema: JSONSchema7, document: OpenApiDocument): Json {
  return sample(schema, { skipReadOnly: true, quiet: true }, document) as Json;
}

/** Every path to a value inside a JSON value (`[]` is the value itself). */
function valuePaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...valuePaths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths.push(...valuePaths(v, [...prefix, k]));
  return paths;
}

/** A copy of `value` with the value at `path` replaced (or deleted when `replacement` is `undefined`). */
function withValueAt(value: Json, path: readonly (string | number)[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const copy = structuredClone(value) as Record<string | number, Json>;
  let node: Record<string | number, Json> = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else Reflect.deleteProperty(node, last);
  } else node[last] = replacement;
  return copy;
}

/**
 * Percent-encodes a path segment; a lone surrogate (which `encodeURIComponent` refuses) is sent as the bytes a
 * careless client would put on the wire for it (its WTF-8 encoding, which is not valid UTF-8).
 */
function encodePathSegment(value: string): string {
  return value.replace(/[\s\S]/gu, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
    return encodeURIComponent(ch);
  });
}

function paramValue(spec: ParameterSpec, context: FuzzContext, document: OpenApiDocument, pick: number): string {
  const known = context.knownIds[spec.name] ?? [];
  if (known.length > 0 && pick % 4 !== 0) return known[pick % known.length]!;
  const value = sampleOf(spec.schema, document);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const oddLeaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.constantFrom(...ODD_NUMBERS),
  fc.constantFrom(...(ODD_JSON_VALUES as Json[])),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
);

/**
 * An arbitrary of requests derived from the document's operations: most are a well-formed sample (from the
 * schemas, aimed at real records where a known ID exists) changed in one way; some are the sample itself.
 */
export function fuzzRequestArbitrary(
  context: FuzzContext,
  operations: readonly FuzzOperation[],
): fc.Arbitrary<FuzzRequest> {
  const { document } = context;
  return fc
    .record({
      operationIndex: fc.nat(),
      clientIndex: fc.nat(),
      pick: fc.nat(),
      kind: fc.constantFrom<FuzzKind>(
        'sample',
        'body-field',
        'body-field',
        'body-missing-field',
        'body-extra-field',
        'body-whole',
        'body-malformed',
        'path-param',
        'path-param',
        'query-param',
        'content-type',
        'method',
        'header',
        'credentials',
      ),
      leaf: oddLeaf,
      extraKey: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', ''), fc.string()),
      oddString: fc.oneof(fc.constantFrom(...ODD_STRINGS), fc.string({ maxLength: 64 })),
      malformed: fc.constantFrom(...MALFORMED_BODIES),
      contentType: fc.constantFrom(...ODD_CONTENT_TYPES),
      method: fc.constantFrom(...ODD_METHODS),
      header: fc.oneof(
        fc.constantFrom(...ODD_BLOCK_TOKENS).map((v) => ['x-min-block', v] as const),
        fc.constantFrom(...ODD_IDEMPOTENCY_KEYS).map((v) => ['idempotency-key', v] as const),
      ),
      authorization: fc.oneof(fc.constantFrom(...ODD_AUTHORIZATIONS), fc.constant(undefined)),
    })
    .map((g): FuzzRequest => {
      const operation = operations[g.operationIndex % operations.length]!;
      const client = context.clients[g.clientIndex % context.clients.length]!;
      let method = operation.method.toUpperCase();
      let kind = g.kind;

      const params: Record<string, string> = {};
      operation.pathParams.forEach((p, i) => {
        params[p.name] = paramValue(p, context, document, g.pick + i);
      });
      if (kind === 'path-param' && operation.pathParams.length > 0) {
        const target = operation.pathParams[g.pick % operation.pathParams.length]!;
        params[target.name] = g.oddString;
      } else if (kind === 'path-param') kind = 'sample';
      // Raw `.` and `..` segments are what a client would send to climb paths; everything else is encoded.
      const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const value = params[name] ?? '';
        return value === '.' || value === '..' ? value : encodePathSegment(value);
      });

      const query = new URLSearchParams();
      for (const q of operation.queryParams) {
        if (!q.required && g.pick % 3 === 0) continue;
        const value = sampleOf(q.schema, document);
        query.set(q.name, typeof value === 'string' ? value : JSON.stringify(value));
      }
      if (kind === 'query-param' && operation.queryParams.length > 0) {
        const target = operation.queryParams[g.pick % operation.queryParams.length]!;
        query.set(target.name, typeof g.leaf === 'string' ? g.leaf : JSON.stringify(g.leaf));
        if (g.pick % 5 === 0) query.append(target.name, '2');
      } else if (kind === 'query-param') kind = 'sample';
      const search = query.toString();

      const headers: Record<string, string> = {};
      if (operation.authenticated) headers.authorization = `Bearer ${client.key}`;
      let body: string | undefined;
      if (operation.bodySchema !== undefined) {
        let value = sampleOf(operation.bodySchema, document);
        const paths = valuePaths(value).filter((p) => p.length > 0);
        if (kind === 'body-field' && paths.length > 0) {
          value = withValueAt(value, paths[g.pick % paths.length]!, g.leaf);
        } else if (kind === 'body-missing-field' && paths.length > 0) {
          value = withValueAt(value, paths[g.pick % paths.length]!, undefined);
        } else if (
          kind === 'body-extra-field' &&
          value !== null &&
          typeof value === 'object' &&
          !Array.isArray(value)
        ) {
          value = { ...value, [g.extraKey]: g.leaf };
        } else if (kind === 'body-whole') {
          value = g.leaf;
        } else if (kind.startsWith('body-') && kind !== 'body-malformed') kind = 'sample';
        body = kind === 'body-malformed' ? g.malformed : JSON.stringify(value);
        headers['content-type'] = kind === 'content-type' ? g.contentType : 'application/json';
      } else if (kind === 'body-malformed' || kind === 'body-whole') {
        body = kind === 'body-malformed' ? g.malformed : JSON.stringify(g.leaf);
        headers['content-type'] = 'application/json';
      } else if (kind === 'content-type') {
        body = 'x=1';
        headers['content-type'] = g.contentType;
      } else if (kind.startsWith('body-')) kind = 'sample';

      if (kind === 'method') method = g.method;
      if (kind === 'header') headers[g.header[0]] = g.header[1];
      if (kind === 'credentials') {
        if (g.authorization === undefined) Reflect.deleteProperty(headers, 'authorization');
        else headers.authorization = g.authorization;
      }
      // A GET or HEAD carries no body, so a body or content-type change did not happen.
      const bodyless = method === 'GET' || method === 'HEAD';
      if (bodyless && (kind.startsWith('body-') || kind === 'content-type')) kind = 'sample';
      return {
        kind,
        operation: `${operation.method} ${operation.path}`,
        method,
        target: `${client.url}${path}${search === '' ? '' : `?${search}`}`,
        headers,
        ...(body === undefined || bodyless ? {} : { body }),
      };
    });
}

/** `count` requests for the context's operations, the same ones for the same seed. */
export function fuzzRequests(
  context: FuzzContext,
  operations: readonly FuzzOperation[],
  count: number,
  seed: number,
): FuzzRequest[] {
  return fc.sample(fuzzRequestArbitrary(context, operations), { numRuns: count, seed });
}
