import { z } from 'zod';
import type { Principal } from '../../auth/api-keys';
import { AppError } from '../../errors';
import type { EventFilter, Subscription } from '../../events/event-hub';
import type { EventHubs } from '../../events/event-hubs';
import type { RegisterRoute } from '../route';
import { eventsQuery } from '../schemas';
import { checkpointOf, formatSseEvent, isVisibleTo, parseCheckpoint } from '../sse';

/** Builds the filter of one client: which events it may see. */
export type EventFilterFactory = (principal: Principal) => EventFilter;

/** Today's rule: events whose payload `parties` name the caller's organization. */
export const partiesFilter: EventFilterFactory = (principal) => (event) => isVisibleTo(event, principal.mspId);

/** Options of {@link registerEventRoutes}. */
export interface EventRouteOptions {
  readonly hubs: EventHubs;
  readonly heartbeatMs: number;
  /** Which events each client may see; default {@link partiesFilter}. */
  readonly filterFor?: EventFilterFactory;
  readonly shutdown?: AbortSignal;
}

/**
 * Server-Sent Events of the chaincode events the caller may see, served from the organization's event hub (one
 * ledger subscription however many clients listen).
 */
export function registerEventRoutes(register: RegisterRoute, options: Readonly<EventRouteOptions>): void {
  const filterFor = options.filterFor ?? partiesFilter;
  register({
    method: 'get',
    path: '/events',
    summary:
      'Chaincode events visible to the caller (text/event-stream), resumable with Last-Event-ID within the buffer (409 EVENTS_EXPIRED before it); 429 over the stream caps',
    tag: 'Events',
    permission: 'read',
    query: eventsQuery,
    responses: {
      '200': {
        description:
          'Frames `id: <block>:<txId>`, `event: <EventName>`, `data: {"blockNumber", "transactionId", "payload"}`',
        content: { 'text/event-stream': { schema: z.string() } },
      },
    },
    handler: async ({ req, res, query, principal }) => {
      const lastEventId = req.get('last-event-id') ?? query.lastEventId;
      const checkpoint = lastEventId === undefined ? undefined : parseCheckpoint(lastEventId);
      if (lastEventId !== undefined && checkpoint === undefined) {
        throw new AppError('VALIDATION_FAILED', 'Last-Event-ID must be <blockNumber>:<transactionId>');
      }
      const startBlock = query.startBlock === undefined ? undefined : BigInt(query.startBlock);
      const from = checkpoint !== undefined ? { checkpoint } : startBlock !== undefined ? { startBlock } : {};

      const state: { heartbeat?: NodeJS.Timeout; subscription?: Subscription } = {};
      const onShutdown = (): void => {
        state.subscription?.close();
        finish();
        res.end();
      };
      const finish = (): void => {
        clearInterval(state.heartbeat);
        options.shutdown?.removeEventListener('abort', onShutdown);
      };
      const headers = (): void => {
        if (res.headersSent) return;
        res.status(200).set({
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-cache, no-transform',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        });
        res.flushHeaders();
        res.write(': connected\n\n');
      };
      state.subscription = await options.hubs.of(principal.mspId).subscribe({
        key: principal.clientId,
        from,
        filter: filterFor(principal),
        sink: {
          send: (event) => {
            headers();
            res.write(
              formatSseEvent(checkpointOf(event), event.eventName, {
                blockNumber: event.blockNumber.toString(),
                transactionId: event.transactionId,
                payload: event.payload,
              }),
            );
            return res.writableLength;
          },
          drop: (reason) => {
            finish();
            if (reason === 'slow') res.destroy();
            else res.end();
          },
        },
      });
      headers();
      state.heartbeat = setInterval(() => {
        res.write(': heartbeat\n\n');
      }, options.heartbeatMs);
      res.on('close', () => {
        state.subscription?.close();
        finish();
      });
      options.shutdown?.addEventListener('abort', onShutdown, { once: true });
      return undefined;
    },
  });
}
