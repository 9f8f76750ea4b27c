import type { JSONSchema7 } from 'json-schema';

/** The parts of an OpenAPI 3.0 document the fuzzer reads. */
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components?: object;
}

interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: JSONSchema7;
}

interface OpenApiOperation {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JSONSchema7 }>> };
  readonly security?: readonly object[];
}

/** One parameter of an operation, with its schema. */
export interface ParameterSpec {
  readonly name: string;
  readonly required: boolean;
  readonly schema: JSONSchema7;
}

/** One operation of the API as the fuzzer generates requests for it. */
export interface FuzzOperation {
  /** Lower-case HTTP method as the document names it. */
  readonly method: string;
  /** The OpenAPI path template, e.g. `/campaigns/{campaignId}`. */
  readonly path: string;
  readonly pathParams: readonly ParameterSpec[];
  readonly queryParams: readonly ParameterSpec[];
  /** The JSON body's schema, when the operation takes one. */
  readonly bodySchema: JSONSchema7 | undefined;
  /** False for the operational endpoints (`/healthz`, `/openapi.json`, ...) that take no credentials. */
  readonly authenticated: boolean;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every operation of an OpenAPI document, sorted by path and method (a stable order for seeded generation). */
export function operationsOf(document: Readonly<OpenApiDocument>): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const path of Object.keys(document.paths).sort()) {
    const item = document.paths[path] ?? {};
    for (const method of Object.keys(item).sort()) {
      const operation = item[method];
      if (!METHODS.has(method) || operation === undefined) continue;
      const parameters = operation.parameters ?? [];
      const spec = (p: OpenApiParameter): ParameterSpec => ({
        name: p.name,
        required: p.required ?? false,
        schema: p.schema ?? { type: 'string' },
      });
      operations.push({
        method,
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map(spec),
        queryParams: parameters.filter((p) => p.in === 'query').map(spec),
        bodySchema: operation.requestBody?.content?.['application/json']?.schema,
        authenticated: (operation.security ?? [{}]).length > 0,
      });
    }
  }
  return operations;
}
