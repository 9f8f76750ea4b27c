import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { httpStatusFor, type ErrorCode } from '../errors';

/** The HTTP reason phrases of the statuses {@link answerClientErrors} can send. */
const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 431: 'Request Header Fields Too Large' };

/** The error code for a request Node's HTTP parser could not read, by the parser's error code. */
export function clientErrorCode(parserCode: string | undefined): ErrorCode {
  return parserCode === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'MALFORMED_REQUEST';
}

/**
 * Answers a request that never reaches Express (an unknown method such as `FOO`, a malformed request line or
 * header, headers past the size limit) with the API's JSON error body and a stable code, instead of Node's empty
 * `400`, then closes the connection (the parser cannot tell where the next request would start).
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (err.code === 'ECONNRESET' && socket.destroyed)) {
      socket.destroy();
      return;
    }
    const code = clientErrorCode(err.code);
    const status = httpStatusFor(code);
    const body = JSON.stringify({
      error: {
        code,
        message:
          code === 'HEADERS_TOO_LARGE' ? 'the request headers are too large' : 'the request is not valid HTTP/1.1',
      },
    });
    socket.end(
      `HTTP/1.1 ${String(status)} ${REASONS[status] ?? 'Bad Request'}\r\n` +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${String(Buffer.byteLength(body))}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
  });
}
