import { z } from 'zod';
import { AppError } from '../../errors';
import type { RegisterRoute } from '../route';
import { eventsQuery } from '../schemas';
import { checkpointOf, formatSseEvent, isVisibleTo, newResumeFilter, parseCheckpoint } from '../sse';

/** Server-Sent Events of the chaincode events the caller's organization may see. */
export function registerEventRoutes(register: RegisterRoute, heartbeatMs: number, shutdown?: AbortSignal): void {
  register({
    method: 'get',
    path: '/events',
    summary: 'Chaincode events visible to the caller (text/event-stream), resumable with Last-Event-ID',
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
    handler: async ({ req, res, query, ledger, principal }) => {
      const lastEventId = req.get('last-event-id') ?? query.lastEventId;
      const checkpoint = lastEventId === undefined ? undefined : parseCheckpoint(lastEventId);
      if (lastEventId !== undefined && checkpoint === undefined) {
        throw new AppError('VALIDATION_FAILED', 'Last-Event-ID must be <blockNumber>:<transactionId>');
      }
      const startBlock =
        checkpoint?.blockNumber ?? (query.startBlock === undefined ? undefined : BigInt(query.startBlock));
      const stream = await ledger.chaincodeEvents(principal.mspId, startBlock);

      const state = { closed: false };
      const stop = (): void => {
        state.closed = true;
        stream.close();
      };
      res.on('close', stop);
      shutdown?.addEventListener('abort', stop, { once: true });
      res.status(200).set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      res.write(': connected\n\n');
      const heartbeat = setInterval(() => {
        res.write(': heartbeat\n\n');
      }, heartbeatMs);
      const isNew = newResumeFilter(checkpoint);
      try {
        for await (const event of stream) {
          if (state.closed) break;
          if (!isNew(event) || !isVisibleTo(event, principal.mspId)) continue;
          res.write(
            formatSseEvent(checkpointOf(event), event.eventName, {
              blockNumber: event.blockNumber.toString(),
              transactionId: event.transactionId,
              payload: event.payload,
            }),
          );
        }
      } catch (err) {
        if (!state.closed) {
          const code = err instanceof AppError ? err.code : 'INTERNAL';
          res.write(`event: error\ndata: ${JSON.stringify({ code, message: 'event stream interrupted' })}\n\n`);
        }
      } finally {
        clearInterval(heartbeat);
        shutdown?.removeEventListener('abort', stop);
        stream.close();
        res.end();
      }
      return undefined;
    },
  });
}
