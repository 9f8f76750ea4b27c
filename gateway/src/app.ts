import * as crypto from 'node:crypto';
import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { ApiKeyStore } from './auth/api-keys';
import { AppError } from './errors';
import { DEFAULT_EVENT_LIMITS, type EventHubLimits } from './events/event-hub';
import { newEventHubs, type EventHubs } from './events/event-hubs';
import { authenticate } from './http/authenticate';
import {
  addressLimiter,
  DEFAULT_RATE_LIMITS,
  failedAuthenticationLimiter,
  keyLimiter,
  limitRefusedKeys,
  type RateLimits,
  UNAUTHENTICATED_PATHS,
} from './http/rate-limits';
import { DOCS_PAGE } from './http/docs-page';
import { errorMiddleware } from './http/error-middleware';
import { newReadinessProbe } from './http/readiness';
import { registerRoute, type RegisterRoute } from './http/route';
import { registerBillingRoutes } from './http/routes/billing-routes';
import { registerCampaignRoutes } from './http/routes/campaign-routes';
import { registerDeliveryRoutes } from './http/routes/delivery-routes';
import { registerEventRoutes, type EventFilterFactory } from './http/routes/event-routes';
import { registerMerkleRoutes } from './http/routes/merkle-routes';
import { registerReconciliationRoutes } from './http/routes/reconciliation-routes';
import { registerReportRoutes } from './http/routes/report-routes';
import type { IdempotencyStore } from './idempotency/idempotency-store';
import type { LedgerClient } from './ledger/ledger-client';
import { createLedgerContract } from './ledger/ledger-contract';
import { instrumentLedger, newMetrics, type Metrics } from './metrics';
import { registerDashboard } from './reporting/dashboard-route';
import { registerReportingRoutes } from './reporting/reporting-routes';
import { registerReportingMetrics } from './reporting/reporting-metrics';
import type { Reporting } from './reporting/reporting-service';

/** Everything the app needs; tests pass fakes. */
export interface AppDeps {
  readonly ledger: LedgerClient;
  readonly apiKeys: ApiKeyStore;
  readonly idempotency: IdempotencyStore;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly bodyLimitBytes?: number;
  readonly sseHeartbeatMs?: number;
  readonly retryAfterSeconds?: number;
  /** How long a request with a consistency token (X-Min-Block) may wait for its block; default 10 s. */
  readonly consistencyTimeoutMs?: number;
  /** How long a `/readyz` answer is reused (default 2 s); 0 asks the peers on every call. */
  readonly readinessCacheMs?: number;
  /** Caps and buffer of the event hubs (defaults: {@link DEFAULT_EVENT_LIMITS}). */
  readonly eventLimits?: Partial<EventHubLimits>;
  /** The event hubs; by default one per organization over `ledger`. */
  readonly eventHubs?: EventHubs;
  /** Which events each client may see; default: those whose `parties` name its organization. */
  readonly eventFilter?: EventFilterFactory;
  /** Requests per window per API key and per source address (default {@link DEFAULT_RATE_LIMITS}). */
  readonly rateLimits?: RateLimits;
  /** Aborted on shutdown: open event streams end at once instead of holding the server open. */
  readonly shutdownSignal?: AbortSignal;
  /**
   * The organization's reporting store and listener: when given, `GET /reports/reconciliation` is served from the
   * store (the chaincode's evaluated report moves to `/reports/reconciliation/ledger`) and `/dashboard` is served.
   */
  readonly reporting?: Reporting;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

function routeLabel(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : 'unmatched';
}

/**
 * Builds the Express app without listening.
 */
export function createApp(deps: Readonly<AppDeps>): Express {
  const metrics = deps.metrics ?? newMetrics();
  const ledger = instrumentLedger(deps.ledger, metrics);
  const contract = createLedgerContract(ledger);
  const retryAfterSeconds = deps.retryAfterSeconds ?? 5;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const header = req.headers['x-request-id'];
        const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err !== undefined || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (req: { id: unknown; method: unknown; url: unknown }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
        err: (err: { name?: unknown; message?: unknown }) => ({ type: err.name, message: err.message }),
      },
      customProps: (_req, res) => {
        const locals = (res as Partial<Response>).locals as { transactionId?: string; errorCode?: string } | undefined;
        return { transactionId: locals?.transactionId, errorCode: locals?.errorCode };
      },
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
    }),
  );

  app.use((req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      end(labels);
      metrics.httpRequests.inc(labels);
    });
    next();
  });

  const rateLimits = deps.rateLimits ?? DEFAULT_RATE_LIMITS;
  app.use(UNAUTHENTICATED_PATHS, addressLimiter(rateLimits));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const readiness = newReadinessProbe({ ledger, contract, cacheMs: deps.readinessCacheMs ?? 2_000 });
  app.get('/readyz', async (_req, res) => {
    const { ready, organizations } = await readiness();
    if (!ready) res.set('Retry-After', String(retryAfterSeconds));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', organizations });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  registry.registerComponent('securitySchemes', 'apiKeyHeader', { type: 'apiKey', in: 'header', name: 'X-API-Key' });

  const operations: [string, string][] = [
    ['/healthz', 'Liveness: the process is up'],
    [
      '/readyz',
      "Readiness: every organization's peer answers roles:ListRoles (503 with Retry-After otherwise); cached for ADRECON_READYZ_CACHE_MS",
    ],
    ['/metrics', 'Prometheus metrics (text exposition format)'],
  ];
  for (const [path, summary] of operations) {
    registry.registerPath({
      method: 'get',
      path,
      summary,
      tags: ['Operations'],
      security: [],
      responses: { '200': { description: summary } },
    });
  }

  let openApiDocument: unknown;
  app.get('/openapi.json', (_req, res) => {
    openApiDocument ??= new OpenApiGeneratorV3(registry.definitions).generateDocument({
      openapi: '3.0.3',
      info: {
        title: 'adrecon REST API',
        version: '0.1.0',
        description: 'Campaign terms, delivery reports, reconciliation, invoices and payments on Hyperledger Fabric',
      },
    });
    res.json(openApiDocument);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });

  if (deps.reporting !== undefined) {
    registerDashboard(app);
    registerReportingMetrics(metrics.registry, deps.reporting);
  }

  app.use(limitRefusedKeys(authenticate(deps.apiKeys), failedAuthenticationLimiter(rateLimits)));
  app.use(keyLimiter(rateLimits));
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const length = Number(req.headers['content-length'] ?? '0');
    const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
    if (req.method === 'POST' && hasBody && !req.is('application/json')) {
      next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json'));
      return;
    }
    next();
  });
  app.use(express.json({ limit: deps.bodyLimitBytes ?? 1_048_576, strict: true }));

  const routeDeps = {
    ledger,
    contract,
    idempotency: deps.idempotency,
    consistencyTimeoutMs: deps.consistencyTimeoutMs ?? 10_000,
  };
  const register: RegisterRoute = (definition) => {
    registerRoute(app, registry, routeDeps, definition);
  };
  registerCampaignRoutes(register);
  registerDeliveryRoutes(register);
  registerReconciliationRoutes(register);
  registerBillingRoutes(register);
  if (deps.reporting === undefined) {
    registerReportRoutes(register);
  } else {
    registerReportingRoutes(register, deps.reporting, retryAfterSeconds);
    registerReportRoutes(register, '/reports/reconciliation/ledger');
  }
  registerMerkleRoutes(register);
  const hubs =
    deps.eventHubs ??
    newEventHubs({
      ledger,
      retryAfterSeconds,
      ...DEFAULT_EVENT_LIMITS,
      ...deps.eventLimits,
      onStreamError: (org, err) => {
        deps.logger.warn({ org, err: err instanceof Error ? err.message : String(err) }, 'event stream failed');
      },
    });
  deps.shutdownSignal?.addEventListener('abort', () => {
    hubs.close();
  });
  registerEventRoutes(register, {
    hubs,
    heartbeatMs: deps.sseHeartbeatMs ?? 15_000,
    ...(deps.eventFilter ? { filterFor: deps.eventFilter } : {}),
    ...(deps.shutdownSignal ? { shutdown: deps.shutdownSignal } : {}),
  });

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new AppError('NOT_FOUND', `no route for ${req.method} ${req.path}`));
  });
  app.use(errorMiddleware());
  return app;
}
