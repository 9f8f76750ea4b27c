import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './network-profile';

/** One demo API key as the credentials CLI wrote it. */
export interface ApiCredential {
  clientId: string;
  mspId: string;
  role: string;
  key: string;
}

/** The REST gateway running as its own process, as `npm start` runs it, with its own keys and state. */
export interface RestGateway {
  readonly baseUrl: string;
  /** The key of a client such as `advertiser-operations` or `publisher-finance`. */
  key(clientId: string): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  /**
   * The consistency token a client of several organizations carries: the highest `block` any write answered so
   * far. {@link http} sends it as X-Min-Block and raises it from every write's answer.
   */
  token: bigint | undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the gateway exited (${String(child.exitCode)}):\n${fs.readFileSync(log, 'utf8')}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the gateway was not ready within 60 s; log: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts the compiled gateway (gateway/dist/src/main.js) with fresh demo credentials and extra `settings`. */
export async function startRestGateway(settings: Record<string, string> = {}): Promise<RestGateway> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-gateway-'));
  const port = await freePort();
  const env = {
    ...process.env,
    ...settings,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ADRECON_API_KEYS_FILE: path.join(stateDir, 'api-keys.json'),
    ADRECON_STATE_DIR: stateDir,
  };
  execFileSync(process.execPath, [path.join(repoRoot, 'gateway', 'dist', 'src', 'cli', 'create-demo-credentials.js')], {
    env,
    stdio: 'ignore',
  });
  const credentials = fs
    .readFileSync(path.join(stateDir, 'demo-credentials.txt'), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line): ApiCredential => {
      const [clientId = '', mspId = '', role = '', key = ''] = line.split(' ');
      return { clientId, mspId, role, key };
    });
  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const log = path.join(stateDir, 'gateway.log');
  let child: ChildProcess | undefined;

  const start = async () => {
    const out = fs.openSync(log, 'a');
    child = spawn(process.execPath, [path.join(repoRoot, 'gateway', 'dist', 'src', 'main.js')], {
      env,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    await waitUntilReady(baseUrl, child, log);
  };
  const stop = async () => {
    const running = child;
    if (running?.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => {
        resolve();
      });
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    baseUrl,
    token: undefined,
    key: (clientId) => {
      const found = credentials.find((c) => c.clientId === clientId);
      if (!found) throw new Error(`no demo credential ${clientId}`);
      return found.key;
    },
    restart: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      await stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A JSON response: status, headers and the parsed body (or the raw text when it is not JSON). */
export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/**
 * Sends a request with an API key; `body` may be a value (sent as JSON) or a raw string. Unless `consistent` is
 * false, the request carries the gateway's consistency token (X-Min-Block), so that a step through one
 * organization sees every earlier write made through another, and a write's answered block raises the token.
 */
export async function http<T = unknown>(
  gateway: RestGateway,
  method: string,
  url: string,
  options: {
    clientId?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    consistent?: boolean;
  } = {},
): Promise<HttpResult<T>> {
  const consistent = options.consistent ?? true;
  const headers: Record<string, string> = { ...options.headers };
  if (consistent && gateway.token !== undefined) headers['x-min-block'] ??= gateway.token.toString();
  if (options.clientId) headers.authorization = `Bearer ${gateway.key(options.clientId)}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${gateway.baseUrl}${url}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV or empty
  }
  const block = (parsed as { block?: unknown } | null)?.block;
  if (consistent && typeof block === 'string' && (gateway.token === undefined || BigInt(block) > gateway.token)) {
    gateway.token = BigInt(block);
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}
