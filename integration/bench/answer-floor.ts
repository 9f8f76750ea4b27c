import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the floor server answers: `ready`, the answer's bytes made once and sent as they are (the best a cache of
 * rendered answers could do); `built`, a new string joined from the answer's row texts for every request (the least
 * any store does that builds an answer when asked: the bytes are new, then sent).
 */
export type FloorMode = 'ready' | 'built';

/** A running floor server: the URL of each mode. */
export interface AnswerFloor {
  url(mode: FloorMode): string;
}

const CHILD_FLAG = '--adrecon-answer-floor';

/**
 * Runs `work` against a plain Node HTTP server in a process of its own (this file, forked, as the gateway runs in
 * its own), which serves `answer` (a JSON report answer, `{"data":{"rows":[…],…}}`) without a database, a framework
 * or authentication: the time a client waits for the same bytes when nothing but their transport is left. The server
 * stops (its process exits) when `work` settles.
 */
export async function withAnswerFloor<T>(answer: string, work: (floor: AnswerFloor) => Promise<T>): Promise<T> {
  const child = fork(__filename, [CHILD_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message: { port?: number; error?: string }) => {
        if (message.port === undefined) reject(new Error(`answer floor server: ${message.error ?? 'no port'}`));
        else resolve(message.port);
      });
      child.once('error', (err) => {
        reject(err);
      });
      child.once('exit', (code) => {
        reject(new Error(`answer floor server exited with code ${String(code)}`));
      });
      child.send({ answer });
    });
    return await work({ url: (mode) => `http://127.0.0.1:${String(port)}/${mode}` });
  } finally {
    // The child exits when its IPC channel closes; it is ours, so no signal by PID is needed.
    if (child.connected) child.disconnect();
    await exited;
  }
}

function childMain(answer: string): void {
  const { data } = JSON.parse(answer) as { data: { rows: unknown[] } & Record<string, unknown> };
  const { rows, ...rest } = data;
  const rowTexts = rows.map((row) => JSON.stringify(row));
  const tail = `,${JSON.stringify(rest).slice(1)}}`;
  const ready = Buffer.from(answer);
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    if (req.url === '/ready') res.end(ready);
    else res.end(`{"data":{"rows":[${rowTexts.join(',')}]${tail}`);
  });
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.once('disconnect', () => {
    server.close();
    server.closeAllConnections();
  });
}

if (process.argv.includes(CHILD_FLAG)) {
  process.once('message', (message: { answer: string }) => {
    try {
      childMain(message.answer);
    } catch (err) {
      process.send?.({ error: err instanceof Error ? err.message : String(err) });
      process.disconnect();
    }
  });
}
