import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { RouteDefinition } from './route-definition';
import { minBlockHeaderSchema } from './consistency';
import { envelopeSchema } from './response-envelope';
import { errorBodySchema } from './schemas';

/** Adds one route to the OpenAPI document: its request schemas, its success envelope around `response`, errors. */
export function registerOpenApiPath(registry: OpenAPIRegistry, definition: RouteDefinition): void {
  const successStatus = definition.successStatus ?? 200;
  registry.registerPath({
    method: definition.method,
    path: definition.path,
    summary: definition.summary,
    tags: [definition.tag],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    request: {
      ...(definition.params ? { params: definition.params } : {}),
      ...(definition.query ? { query: definition.query as z.ZodObject } : {}),
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
        content: { 'application/json': { schema: envelopeSchema(definition.response ?? z.unknown()) } },
      },
      ...definition.responses,
      default: { description: 'Error', content: { 'application/json': { schema: errorBodySchema } } },
    },
  });
}
