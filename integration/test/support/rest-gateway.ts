import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadProfile, repoRoot } from './network-profile';

/** One demo API key as the credentials CLI wrote it. */
export interface ApiCredential {
  clientId: string;
  mspId: string;
  role: string;
  key: string;
}

/** One organization's REST gateway process, as `fabric-network.mjs gateways --json` describes it. */
export interface OrganizationGateway {
  readonly name: string;
  readonly mspId: string;
  readonly pid: number;
  readonly url: string;
  readonly profile: string;
  readonly apiKeysFile: string;
  readonly credentialsFile: string;
  readonly log: string;
}

/**
 * The REST gateways, one process per organization, started as `npm start` starts them (the same script) with
 * their own keys and state. Each client ID belongs to one organization and is sent to that organization's gateway.
 */
export interface RestGateway {
  /** Every organization's gateway, in network.json's order. */
  readonly gateways: readonly OrganizationGateway[];
  /** The gateway of an organization by MSP ID. */
  of(mspId: string): OrganizationGateway;
  /** The URL of the gateway of the organization a client such as `publisher2-finance` belongs to. */
  urlFor(clientId: string): string;
  /** The key of a client such as `advertiser-operations` or `publisher-finance`. */
  key(clientId: string): string;
  /** Every demo credential, of every organization. */
  readonly credentials: readonly ApiCredential[];
  /** The folder holding one folder per organization with its `api-keys.json` and `demo-credentials.txt`. */
  readonly stateRoot: string;
  /** The instance name of these gateway processes (their PID records are `gateway-<instance>-<organization>`). */
  readonly instance: string;
  /** The REST port base: organization k listens on portBase + k. */
  readonly portBase: number;
  /**
   * Starts the gateway of any organization the network gained since (`add-org`), on the same ports and under the
   * same instance, and reads every gateway and credential again; running gateways are left alone.
   */
  refresh(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
  /**
   * The consistency token a client of several organizations carries: the highest `block` any write answered so
   * far, through any organization's gateway. {@link http} sends it as X-Min-Block and raises it from every answer.
   */
  token: bigint | undefined;
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
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

/** A base port, chosen at run time, with `count` free ports from it. */
async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + count > 65535) continue;
    let free = true;
    for (let i = 1; i < count && free; i++) free = await listenable(base + i);
    if (free) return base;
  }
  throw new Error(`no run of ${String(count)} free ports found`);
}

const networkScript = path.join(repoRoot, 'test-network-scripts', 'fabric-network.mjs');

function runNetworkCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [networkScript, ...args],
      { cwd: repoRoot, env, timeout: 120_000, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`fabric-network.mjs ${args.join(' ')} failed:\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

function readCredentials(file: string): ApiCredential[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line): ApiCredential => {
      const [clientId = '', mspId = '', role = '', key = ''] = line.split(' ');
      return { clientId, mspId, role, key };
    });
}

/**
 * Starts one gateway per organization with `fabric-network.mjs gateways`, as `npm start` does, on free ports
 * chosen now, under an instance name of their own (PID records in the network's run folder, so `npm stop` ends
 * them too) with fresh demo credentials and extra `settings` in their environment.
 */
export async function startRestGateway(
  settings: Record<string, string> = {},
  options: { sharedStateOf?: RestGateway; ports?: number } = {},
): Promise<RestGateway> {
  // A second set of processes for the same organizations may share the first set's state (keys, users, idempotency).
  const shared = options.sharedStateOf?.stateRoot;
  const stateRoot = shared ?? fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-gateways-'));
  const instance = `t${crypto.randomBytes(4).toString('hex')}`;
  const count = loadProfile(settings.ADRECON_RUN_DIR).organizations.length;
  // The reporting store (a PGlite boot and a replay per organization) only where a test asks for it: npm test stays lean.
  const env = { ...process.env, ADRECON_REPORTING: 'off', ...settings, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  let gateways: OrganizationGateway[] = [];
  // `ports`: room for organizations that join later (add-org), beyond the network's organizations now.
  let portBase = 0;
  const stop = () => runNetworkCommand(['gateways-stop', '--instance', instance], env);
  const start = async (samePorts = false) => {
    for (let attempt = 1; ; attempt++) {
      if (!samePorts) portBase = await freePortRun(Math.max(count, options.ports ?? 0));
      try {
        const out = await runNetworkCommand(
          ['gateways', '--port', String(portBase), '--instance', instance, '--state-dir', stateRoot, '--json'],
          env,
        );
        const last = out.trim().split('\n').pop() ?? '[]';
        gateways = JSON.parse(last) as OrganizationGateway[];
        return;
      } catch (err) {
        // Ports found free are in the kernel's ephemeral range: an outgoing connection of another process may take
        // one before a gateway binds it. Stop what started and try another run of ports.
        const taken = err instanceof Error && err.message.includes('EADDRINUSE');
        if (samePorts || !taken || attempt === 3) throw err;
        await stop();
      }
    }
  };
  await start();
  let credentials = gateways.flatMap((g) => readCredentials(g.credentialsFile));
  const credential = (clientId: string): ApiCredential => {
    const found = credentials.find((c) => c.clientId === clientId);
    if (!found) throw new Error(`no demo credential ${clientId}`);
    return found;
  };
  const of = (mspId: string): OrganizationGateway => {
    const found = gateways.find((g) => g.mspId === mspId);
    if (!found) throw new Error(`no gateway of ${mspId}`);
    return found;
  };
  return {
    get gateways() {
      return gateways;
    },
    of,
    urlFor: (clientId) => of(credential(clientId).mspId).url,
    key: (clientId) => credential(clientId).key,
    get credentials() {
      return credentials;
    },
    stateRoot,
    instance,
    get portBase() {
      return portBase;
    },
    token: undefined,
    refresh: async () => {
      await start(true);
      credentials = gateways.flatMap((g) => readCredentials(g.credentialsFile));
    },
    restart: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      await stop();
      if (shared === undefined) fs.rmSync(stateRoot, { recursive: true, force: true });
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

/** The wait a 503's `Retry-After` (seconds) asks for; 1 s when it names none. */
export function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

/**
 * Sends a request until it is answered with anything but 503 (waiting each answer's Retry-After, at most `limitMs` in
 * all), as the API asks of a client: a 503 means nothing was written and a later attempt can succeed. Logs how many
 * 503s it took, so a convergence delay shows in the test's output.
 */
export async function servedWithin<T = unknown>(
  limitMs: number,
  send: () => Promise<HttpResult<T>>,
): Promise<HttpResult<T>> {
  const started = Date.now();
  let unavailable = 0;
  for (;;) {
    const res = await send();
    if (res.status !== 503 || Date.now() - started > limitMs) {
      if (unavailable > 0) {
        console.log(`      served after ${String(unavailable)} × 503 in ${String(Date.now() - started)} ms`);
      }
      return res;
    }
    unavailable++;
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs(res.headers.get('retry-after'))));
  }
}

/**
 * Sends a request with a client's API key to its organization's gateway; `body` may be a value (sent as JSON) or a
 * raw string. Unless `consistent` is false, the request carries the consistency token (X-Min-Block), so that a
 * step through one organization's gateway sees every earlier write made through another's, and a write's answered
 * block raises the token. A request without a client goes to `via` (an MSP ID), or to the first organization's.
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
    via?: string;
    /** false: the body is left as text (a benchmark parses it after its clock stops). */
    parse?: boolean;
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
  let baseUrl: string;
  if (options.via !== undefined) baseUrl = gateway.of(options.via).url;
  else if (options.clientId !== undefined) baseUrl = gateway.urlFor(options.clientId);
  else baseUrl = gateway.gateways[0]?.url ?? '';
  const res = await fetch(`${baseUrl}${url}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if (options.parse !== false) {
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV or empty
    }
  }
  const block = (parsed as { block?: unknown } | null)?.block;
  if (consistent && typeof block === 'string' && (gateway.token === undefined || BigInt(block) > gateway.token)) {
    gateway.token = BigInt(block);
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}
