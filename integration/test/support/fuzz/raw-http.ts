import http from 'node:http';

/** What came back for one raw request. */
export interface RawResponse {
  readonly status: number;
  /**
   * True when the first attempt went out on a kept-alive connection that the server had already closed (Node
   * documents this race for every keep-alive client, `request.reusedSocket`) and was sent again on a new one.
   */
  readonly resent: boolean;
  readonly contentType: string;
  /** The body as text; for an event stream only what arrived before the request was closed. */
  readonly text: string;
}

/** An error of a request sent on a kept-alive connection that closed before any answer: safe to send again. */
class StaleConnectionError extends Error {}

/** One attempt of {@link sendRaw}. */
function sendOnce(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string | undefined,
  timeoutMs: number,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, timeout: timeoutMs }, (response) => {
      const contentType = response.headers['content-type'] ?? '';
      if (contentType.startsWith('text/event-stream')) {
        resolve({ status: response.statusCode ?? 0, contentType, text: '', resent: false });
        response.destroy();
        request.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          contentType,
          text: Buffer.concat(chunks).toString('utf8'),
          resent: false,
        });
      });
      response.on('error', reject);
    });
    request.on('timeout', () => {
      request.destroy(new Error(`${method} ${url}: no answer within ${String(timeoutMs)} ms`));
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && (err.code === 'ECONNRESET' || err.message === 'socket hang up');
      reject(stale ? new StaleConnectionError(err.message) : err);
    });
    if (body !== undefined) request.end(body);
    else request.end();
  });
}

/**
 * Sends one request exactly as given, whatever its method or headers (unlike `fetch`, which refuses methods such
 * as TRACE and rewrites some headers). An event stream is closed as soon as its status is known. A first attempt
 * lost to a kept-alive connection closed under it is sent once more, as Node's documentation advises clients to
 * do; the caller sees that in `resent` (and a resent write that had reached the ledger would show as a duplicate).
 */
export async function sendRaw(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string | undefined,
  timeoutMs: number,
): Promise<RawResponse> {
  try {
    return await sendOnce(method, url, headers, body, timeoutMs);
  } catch (err) {
    if (!(err instanceof StaleConnectionError)) throw err;
    return { ...(await sendOnce(method, url, headers, body, timeoutMs)), resent: true };
  }
}
