import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import { answerClientErrors, clientErrorCode } from '../../../src/http/client-errors';

/** Sends raw bytes to the server and resolves with everything it answered before closing the connection. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(bytes);
    });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => {
      resolve(answer);
    });
    socket.on('error', reject);
  });
}

describe('requests that are not valid HTTP (answerClientErrors)', () => {
  let server: http.Server;
  let port: number;

  before(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers an unknown method with a JSON 400 MALFORMED_REQUEST and closes the connection', async () => {
    const answer = await exchange(port, 'FOO /campaigns HTTP/1.1\r\nHost: x\r\n\r\n');
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).to.match(/^HTTP\/1\.1 400 /);
    expect(head.toLowerCase()).to.include('connection: close');
    expect(JSON.parse(body)).to.deep.equal({
      error: { code: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1' },
    });
  });

  it('answers headers past the limit with a JSON 431 HEADERS_TOO_LARGE', async () => {
    const answer = await exchange(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).to.match(/^HTTP\/1\.1 431 /);
    expect((JSON.parse(body) as { error: { code: string } }).error.code).to.equal('HEADERS_TOO_LARGE');
  });

  it('leaves valid requests to the application', async () => {
    const answer = await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).to.match(/^HTTP\/1\.1 200 /);
    expect(answer.endsWith('ok')).to.equal(true);
  });

  it('names the parser error codes it maps', () => {
    expect(clientErrorCode('HPE_HEADER_OVERFLOW')).to.equal('HEADERS_TOO_LARGE');
    expect(clientErrorCode('HPE_INVALID_METHOD')).to.equal('MALFORMED_REQUEST');
    expect(clientErrorCode(undefined)).to.equal('MALFORMED_REQUEST');
  });
});
