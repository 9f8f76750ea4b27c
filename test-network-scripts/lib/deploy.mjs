// @ts-check
// Chaincode deployment as a service (CCaaS): build the TypeScript chaincode, package it
// deterministically, run one chaincode server per organization, then install, approve and commit.
// A package's label carries a hash of the built code, so changed code gets a new package ID and a
// new sequence, and unchanged code is a no-op.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fabric } from './fabric-cli.mjs';
import { NodeFailure } from './health.mjs';
import { ensureChaincodeServers, readDeployment, writeDeployment } from './chaincode-servers.mjs';
import { progress } from './progress.mjs';
import { ordererFlags, peerAdminEnv } from './node-env.mjs';
import { isRunning, readPidRecord, sleep } from './processes.mjs';
import { chaincodeServers, repoRoot } from './topology.mjs';
import { collectionsConfig, writeCollectionsConfig } from './collections.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').PeerNode} PeerNode */

/** All files below a folder, sorted, relative to it. @param {string} dir @returns {string[]} */
function filesBelow(dir) {
  if (!fs.existsSync(dir)) return [];
  /** @type {string[]} */
  const out = [];
  const walk = (/** @type {string} */ d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** The fewest parties a campaign has: one advertiser, one agency, one publisher. */
const SMALLEST_PARTY_SET = 3;

/**
 * The chaincode-level endorsement policy of the definition: peers of any 3 organizations (all of them in a
 * network of fewer). It validates only what is public: the role registry's new keys and the public markers of
 * new private records (docs/trust-model.md). A campaign's records themselves are written into its party set's
 * collection, whose own policy needs every party and no one else; 3 is the smallest party set, so the parties of
 * any campaign meet this policy alone and no non-party ever has to endorse (nor see the transient inputs).
 * @param {Topology} t
 */
export function chaincodeEndorsementPolicy(t) {
  const peers = t.organizations.map((o) => `'${o.mspId}.peer'`);
  return `OutOf(${Math.min(SMALLEST_PARTY_SET, peers.length)},${peers.join(',')})`;
}

/**
 * A hash of everything the chaincode server runs: its compiled code, its package.json, and the
 * compiled workspace libraries it depends on; plus the definition's endorsement policy, so that a
 * changed policy makes a new definition too.
 * @param {Topology} t
 */
export function chaincodeCodeHash(t) {
  const hash = crypto.createHash('sha256');
  hash.update('endorsement-policy').update('\0').update(chaincodeEndorsementPolicy(t)).update('\0');
  hash
    .update('collections')
    .update('\0')
    .update(JSON.stringify(collectionsConfig(t.organizations)))
    .update('\0');
  const roots = [
    path.join(t.chaincode.dir, 'dist', 'src'),
    path.join(repoRoot, 'merkle', 'dist', 'src'),
    path.join(repoRoot, 'contract', 'dist', 'src'),
  ];
  const files = [path.join(t.chaincode.dir, 'package.json'), ...roots.flatMap(filesBelow)].filter(
    (f) => !f.endsWith('.map'),
  );
  for (const f of files) {
    hash.update(path.relative(repoRoot, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Writes a CCaaS package whose bytes depend only on the label: sorted names, fixed mtime and
 * owner, gzip without a timestamp. Returns its path and package ID (label:sha256 of the file).
 * @param {Topology} t @param {string} label
 */
export function buildPackage(t, label) {
  const outDir = t.paths.chaincodeStateDir;
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'adrecon-ccpkg-'));
  try {
    const connection = {
      address: '127.0.0.1:{{.ccport}}',
      dial_timeout: '10s',
      tls_required: true,
      client_auth_required: true,
    };
    fs.mkdirSync(path.join(work, 'code'));
    fs.writeFileSync(path.join(work, 'code', 'connection.json'), JSON.stringify(connection, null, 2) + '\n');
    fs.writeFileSync(path.join(work, 'metadata.json'), JSON.stringify({ label, type: 'ccaas' }) + '\n');
    const tarGz = (/** @type {string} */ cwd, /** @type {string[]} */ names, /** @type {string} */ out) => {
      const tar = execFileSync(
        'tar',
        [
          '--sort=name',
          '--mtime=@0',
          '--owner=0',
          '--group=0',
          '--numeric-owner',
          '--mode=u=rw,go=r',
          '--format=gnu',
          '-cf',
          '-',
          ...names,
        ],
        { cwd, maxBuffer: 64 * 1024 * 1024 },
      );
      fs.writeFileSync(out, execFileSync('gzip', ['-n', '-9'], { input: tar, maxBuffer: 64 * 1024 * 1024 }));
    };
    tarGz(path.join(work, 'code'), ['connection.json'], path.join(work, 'code.tar.gz'));
    const pkg = path.join(outDir, `${label}.tar.gz`);
    tarGz(work, ['code.tar.gz', 'metadata.json'], pkg);
    const sha = crypto.createHash('sha256').update(fs.readFileSync(pkg)).digest('hex');
    return { file: pkg, packageId: `${label}:${sha}` };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** @param {Topology} t @param {PeerNode} p */
async function installedPackageIds(t, p) {
  const { stdout } = await fabric('peer', ['lifecycle', 'chaincode', 'queryinstalled', '-O', 'json'], {
    env: peerAdminEnv(t, p),
  });
  const parsed = stdout.trim() ? JSON.parse(stdout) : {};
  return new Set((parsed.installed_chaincodes ?? []).map((/** @type {{ package_id: string }} */ c) => c.package_id));
}

/** @param {Topology} t @param {PeerNode} p */
export async function committedDefinition(t, p) {
  try {
    const { stdout } = await fabric(
      'peer',
      ['lifecycle', 'chaincode', 'querycommitted', '-C', t.channel.name, '-n', t.chaincode.name, '-O', 'json'],
      { env: peerAdminEnv(t, p) },
    );
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

/** The package ID an organization approved for a sequence, if any. @param {Topology} t @param {PeerNode} p @param {number} sequence */
async function approvedPackageId(t, p, sequence) {
  try {
    const { stdout } = await fabric(
      'peer',
      [
        'lifecycle',
        'chaincode',
        'queryapproved',
        '-C',
        t.channel.name,
        '-n',
        t.chaincode.name,
        '--sequence',
        String(sequence),
        '-O',
        'json',
      ],
      { env: peerAdminEnv(t, p) },
    );
    return JSON.parse(stdout)?.source?.Type?.LocalPackage?.package_id;
  } catch {
    return undefined;
  }
}

/** @param {Topology} t */
function endorsingPeerFlags(t) {
  return t.organizations.flatMap((o) => {
    const p = o.peers[0];
    return p ? ['--peerAddresses', `${p.address}:${p.port}`, '--tlsRootCertFiles', path.join(p.tlsDir, 'ca.crt')] : [];
  });
}

/**
 * Retries a Fabric call while gossip and chaincode launch settle (e.g. "chaincode not installed on
 * sufficient peers" right after an install).
 * @template T @param {string} what @param {() => Promise<T>} fn @param {number} [timeoutMs]
 */
async function retrying(what, fn, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(
          `${what} did not succeed within ${timeoutMs / 1000} s: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      await sleep(500);
    }
  }
}

/** @param {Topology} t */
function firstPeer(t) {
  const p = t.peers[0];
  if (!p) throw new Error('no peer');
  return p;
}

/**
 * Bootstraps or updates the on-ledger role registry from network.json.
 * @param {Topology} t @param {ReturnType<typeof progress>} say
 */
async function ensureRoleRegistry(t, say) {
  const p = firstPeer(t);
  const wanted = t.organizations.map((o) => ({ mspId: o.mspId, role: o.role }));
  const current = await retrying('querying the role registry', async () => {
    const { stdout } = await fabric(
      'peer',
      [
        'chaincode',
        'query',
        '-C',
        t.channel.name,
        '-n',
        t.chaincode.name,
        '-c',
        JSON.stringify({ function: 'roles:ListRoles', Args: [] }),
      ],
      { env: peerAdminEnv(t, p) },
    );
    return JSON.parse(stdout);
  });
  // A role is fixed once registered: the chaincode refuses SetRoles that would change one (that takes
  // roles:ProposeRoleChange and the consortium's approval), so a changed role in network.json is an error here.
  const changed = wanted.filter((w) =>
    current.some((/** @type {{ mspId: string, role: string }} */ c) => c.mspId === w.mspId && c.role !== w.role),
  );
  if (changed.length > 0) {
    throw new Error(
      `network.json changes registered roles (${changed.map((w) => `${w.mspId}=${w.role}`).join(', ')}): ` +
        'a role changes only through roles:ProposeRoleChange with the approval of that organization and a majority',
    );
  }
  const missing = wanted.filter((w) => !current.some((/** @type {{ mspId: string }} */ c) => c.mspId === w.mspId));
  if (missing.length === 0) {
    say('role registry has every organization of network.json');
    return;
  }
  // An empty registry is bootstrapped in one transaction; afterwards each new organization registers itself.
  const batches =
    current.length === 0
      ? [{ peer: p, entries: missing }]
      : missing.map((w) => {
          const org = t.organizations.find((o) => o.mspId === w.mspId);
          const peer = org?.peers[0];
          if (!peer) throw new Error(`organization ${w.mspId} has no peer to register itself with`);
          return { peer, entries: [w] };
        });
  for (const batch of batches) {
    await retrying('writing the role registry', () =>
      fabric(
        'peer',
        [
          'chaincode',
          'invoke',
          '-C',
          t.channel.name,
          '-n',
          t.chaincode.name,
          '-c',
          JSON.stringify({ function: 'roles:SetRoles', Args: [JSON.stringify(batch.entries)] }),
          '--waitForEvent',
          ...ordererFlags(t),
          ...endorsingPeerFlags(t),
        ],
        { env: peerAdminEnv(t, batch.peer) },
      ),
    );
  }
  say(`role registry set: ${missing.map((w) => `${w.mspId}=${w.role}`).join(', ')}`);
}

/** Builds the chaincode and its package. @param {Topology} t @param {ReturnType<typeof progress>} say */
function buildAndPackage(t, say) {
  const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');
  // A folder without tsconfig.json holds an already built chaincode.
  if (fs.existsSync(path.join(t.chaincode.dir, 'tsconfig.json'))) {
    try {
      execFileSync(tsc, ['-b', t.chaincode.dir], { cwd: repoRoot, stdio: 'inherit' });
    } catch (err) {
      throw new Error('the chaincode does not compile (tsc output above)', { cause: err });
    }
    say('chaincode built');
  }
  const label = `${t.chaincode.labelPrefix}_${chaincodeCodeHash(t)}`;
  const built = buildPackage(t, label);
  say(`package ${path.basename(built.file)} → ${built.packageId}`);
  return { label, ...built };
}

/**
 * The package of the last deployment, to define the chaincode again without new code (an organization joined).
 * @param {Topology} t
 */
function deployedPackage(t) {
  const deployment = readDeployment(t);
  if (!deployment) throw new Error('the chaincode was never deployed on this network: run npm run network:deploy');
  const file = path.join(t.paths.chaincodeStateDir, `${deployment.label}.tar.gz`);
  if (!fs.existsSync(file)) throw new Error(`the deployed package ${file} is missing`);
  return { label: deployment.label, file, packageId: deployment.packageId };
}

/**
 * Deploys the chaincode: installs its package on every peer, runs a chaincode server per organization, approves
 * and commits its definition (a new sequence when the package, the endorsement policy or the collections changed)
 * and completes the role registry. `keepPackage`: define the deployed package again for the organizations of the
 * topology (an organization joined), so the running chaincode servers keep running.
 * @param {Topology} t @param {{ keepPackage?: boolean, say?: ReturnType<typeof progress> }} [options]
 */
export async function deploy(t, options = {}) {
  const say = options.say ?? progress();
  const { label, file, packageId } = options.keepPackage ? deployedPackage(t) : buildAndPackage(t, say);

  await ensureChaincodeServers(t, packageId, say);

  await Promise.all(
    t.peers.map(async (p) => {
      if ((await installedPackageIds(t, p)).has(packageId)) return;
      await fabric('peer', ['lifecycle', 'chaincode', 'install', file], { env: peerAdminEnv(t, p), timeoutMs: 120000 });
      say(`installed on ${p.name}`);
    }),
  );

  const committed = await committedDefinition(t, firstPeer(t));
  const committedSequence = committed?.sequence ?? 0;
  const approvals = await Promise.all(
    t.organizations.map(async (o) => (o.peers[0] ? approvedPackageId(t, o.peers[0], committedSequence) : undefined)),
  );
  const upToDate = committedSequence > 0 && approvals.every((id) => id === packageId);
  if (upToDate) {
    say(`chaincode ${t.chaincode.name} sequence ${committedSequence} already runs this package: nothing to commit`);
  } else {
    const sequence = committedSequence + 1;
    const version = label.slice(t.chaincode.labelPrefix.length + 1);
    const definition = [
      '-C',
      t.channel.name,
      '-n',
      t.chaincode.name,
      '--version',
      version,
      '--sequence',
      String(sequence),
      '--signature-policy',
      chaincodeEndorsementPolicy(t),
      '--collections-config',
      writeCollectionsConfig(t.organizations, t.paths.chaincodeStateDir),
    ];
    await Promise.all(
      t.organizations.map(async (o) => {
        const p = o.peers[0];
        // Approved already by an earlier run that stopped before the commit: approving again is refused.
        if (!p || (await approvedPackageId(t, p, sequence)) === packageId) return;
        await fabric(
          'peer',
          ['lifecycle', 'chaincode', 'approveformyorg', ...definition, '--package-id', packageId, ...ordererFlags(t)],
          {
            env: peerAdminEnv(t, p),
            timeoutMs: 120000,
          },
        );
      }),
    );
    say(`approved by ${t.organizations.map((o) => o.mspId).join(', ')} (sequence ${sequence})`);
    await retrying('committing the chaincode definition', () =>
      fabric(
        'peer',
        ['lifecycle', 'chaincode', 'commit', ...definition, ...ordererFlags(t), ...endorsingPeerFlags(t)],
        {
          env: peerAdminEnv(t, firstPeer(t)),
          timeoutMs: 120000,
        },
      ),
    );
    say(`committed ${t.chaincode.name} sequence ${sequence} on channel ${t.channel.name}`);
  }

  await ensureRoleRegistry(t, say);
  for (const server of chaincodeServers(t)) {
    const record = readPidRecord(t.paths.pidsDir, server.name);
    if (!isRunning(record)) throw new NodeFailure(server.name, 'exited after deploy', record?.log);
  }
  writeDeployment(t, { label, packageId, sequence: upToDate ? committedSequence : committedSequence + 1 });
  say('chaincode ready');
}
