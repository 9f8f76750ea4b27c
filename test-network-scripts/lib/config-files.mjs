// @ts-check
// Files generated from the topology into network/run: configtx.yaml, the peers'
// core.yaml (Fabric's stock file with one change), chaincode TLS material, and the development
// network's profile. Fabric's stock files are read from the Go module cache, never copied
// into the repository.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { fabricBuildDir } from './topology.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */

/** Fabric's sampleconfig folder in the Go module cache, for the pinned module. */
export function fabricSampleConfigDir() {
  const dir = execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/hyperledger/fabric'], {
    cwd: fabricBuildDir,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
  }).trim();
  const sample = path.join(dir, 'sampleconfig');
  if (!fs.existsSync(path.join(sample, 'core.yaml'))) {
    throw new Error(
      `Fabric's sampleconfig was not found in the Go module cache (${sample}): run npm run fabric:install`,
    );
  }
  return sample;
}

/** @param {string} file @param {string} content */
function writeIfChanged(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return false;
  fs.writeFileSync(file, content);
  return true;
}

/** @param {string} rule */
const signature = (rule) => ({ Type: 'Signature', Rule: rule });
/** @param {string} rule */
const implicitMeta = (rule) => ({ Type: 'ImplicitMeta', Rule: rule });

/**
 * A member organization as configtx.yaml defines it: its MSP folder, its policies and its anchor peer.
 * @param {import('./topology.mjs').Organization} o
 */
function memberOrganization(o) {
  const id = o.mspId;
  const firstPeer = o.peers[0];
  return {
    Name: id,
    ID: id,
    MSPDir: path.join(o.cryptoDir, 'msp'),
    Policies: {
      Readers: signature(`OR('${id}.admin', '${id}.peer', '${id}.client')`),
      Writers: signature(`OR('${id}.admin', '${id}.client')`),
      Admins: signature(`OR('${id}.admin')`),
      Endorsement: signature(`OR('${id}.peer')`),
    },
    AnchorPeers: firstPeer ? [{ Host: firstPeer.address, Port: firstPeer.port }] : [],
  };
}

/**
 * A configtx.yaml holding one member organization, for `configtxgen -printOrg` (its channel group as JSON, the
 * part a configuration update adds to the channel when the organization joins).
 * @param {import('./topology.mjs').Organization} o
 */
export function organizationConfigtxYaml(o) {
  return YAML.stringify({ Organizations: [memberOrganization(o)] });
}

/** The channel profile: etcdraft, 2.5 application capabilities, MAJORITY endorsement and lifecycle. @param {Topology} t */
export function configtxYaml(t) {
  const m = t.ordererOrg.mspId;
  const ordererOrg = {
    Name: m,
    ID: m,
    MSPDir: t.ordererOrg.mspDir,
    Policies: {
      Readers: signature(`OR('${m}.member')`),
      Writers: signature(`OR('${m}.member')`),
      Admins: signature(`OR('${m}.admin')`),
    },
    OrdererEndpoints: t.orderers.map((o) => `${o.address}:${o.port}`),
  };
  const memberOrgs = t.organizations.map(memberOrganization);
  const profile = {
    Policies: {
      Readers: implicitMeta('ANY Readers'),
      Writers: implicitMeta('ANY Writers'),
      Admins: implicitMeta('MAJORITY Admins'),
    },
    Capabilities: { V2_0: true },
    Orderer: {
      OrdererType: 'etcdraft',
      BatchTimeout: t.channel.batchTimeout,
      BatchSize: {
        MaxMessageCount: t.channel.maxMessageCount,
        AbsoluteMaxBytes: t.channel.absoluteMaxBytes,
        PreferredMaxBytes: t.channel.preferredMaxBytes,
      },
      EtcdRaft: {
        Consenters: t.orderers.map((o) => ({
          Host: o.address,
          Port: o.port,
          ClientTLSCert: path.join(o.tlsDir, 'server.crt'),
          ServerTLSCert: path.join(o.tlsDir, 'server.crt'),
        })),
        Options: {
          // Loopback nodes: a 200 ms tick makes a restarted single orderer lead again in 2 s.
          TickInterval: '200ms',
          ElectionTick: 10,
          HeartbeatTick: 1,
          MaxInflightBlocks: 5,
          // Far below the 2 MB PreferredMaxBytes (Fabric's Raft MaxSizePerMsg): Fabric v2.5.0's orderer can deadlock
          // at start while it replays the Raft log's membership entries (hyperledger/fabric#4199, fixed in a later
          // v2.5 the module proxy refuses us): when the replay spans more than one Raft Ready, the node waits to
          // hand over the next one while the chain waits for a WAL sync only the node performs, and no leader is
          // ever elected (seen after a whole-network stop and start with 2.3 MB of log). A snapshot every 256 KB
          // takes those entries out of the replay after the first few blocks and keeps any replay within one Ready.
          SnapshotIntervalSize: '256 KB',
        },
      },
      Organizations: [ordererOrg],
      Policies: {
        Readers: implicitMeta('ANY Readers'),
        Writers: implicitMeta('ANY Writers'),
        Admins: implicitMeta('MAJORITY Admins'),
        BlockValidation: implicitMeta('ANY Writers'),
      },
      Capabilities: { V2_0: true },
    },
    Application: {
      Organizations: memberOrgs,
      Policies: {
        Readers: implicitMeta('ANY Readers'),
        Writers: implicitMeta('ANY Writers'),
        Admins: implicitMeta('MAJORITY Admins'),
        LifecycleEndorsement: implicitMeta('MAJORITY Endorsement'),
        Endorsement: implicitMeta('MAJORITY Endorsement'),
      },
      Capabilities: { V2_5: true },
    },
  };
  return YAML.stringify({ Profiles: { AdreconChannel: profile } });
}

/**
 * The peers' core.yaml: Fabric's stock file with vm.endpoint emptied. With the stock Docker socket
 * the peer's /healthz reports the Docker check as failing, and an empty environment variable cannot
 * override it (Fabric ignores empty overrides). Everything else is set per peer by environment.
 * @param {string} sampleConfigDir
 */
export function peerCoreYaml(sampleConfigDir) {
  const doc = YAML.parseDocument(fs.readFileSync(path.join(sampleConfigDir, 'core.yaml'), 'utf8'));
  doc.setIn(['vm', 'endpoint'], '');
  return doc.toString();
}

/**
 * Writes every generated config file; returns the names of those that changed.
 * @param {Topology} t
 * @param {string} sampleConfigDir
 */
export function writeConfigFiles(t, sampleConfigDir) {
  const changed = [];
  const files = [
    [path.join(t.paths.configDir, 'configtx.yaml'), configtxYaml(t)],
    [path.join(t.paths.peerConfigDir, 'core.yaml'), peerCoreYaml(sampleConfigDir)],
  ];
  for (const [file, content] of files) if (writeIfChanged(file, content)) changed.push(path.basename(file));
  return changed;
}

/**
 * TLS for the peer-to-chaincode-server connection: one CA, a server certificate for the chaincode
 * servers (127.0.0.1) and a client certificate the peers present. Generated with openssl: it is the
 * development machine's link between a peer and its own chaincode process, not an organization's identity.
 * @param {Topology} t
 */
export function ensureChaincodeTls(t) {
  const dir = t.paths.chaincodeTlsDir;
  const needed = ['ca.crt', 'server.crt', 'server.key', 'client.crt', 'client.key'];
  if (needed.every((f) => fs.existsSync(path.join(dir, f)))) return false;
  fs.mkdirSync(dir, { recursive: true });
  /** @param {string[]} args */
  const openssl = (args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ecKey = (/** @type {string} */ file) =>
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
  ecKey('ca.key');
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-sha256',
    '-days',
    '3650',
    '-subj',
    '/O=adrecon/CN=adrecon-chaincode-ca',
    '-out',
    'ca.crt',
  ]);
  /** @param {string} name @param {string} cn @param {string} ext */
  const issue = (name, cn, ext) => {
    ecKey(`${name}.key`);
    openssl(['req', '-new', '-key', `${name}.key`, '-subj', `/O=adrecon/CN=${cn}`, '-out', `${name}.csr`]);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '3650',
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ]);
    fs.rmSync(path.join(dir, `${name}.csr`));
    fs.rmSync(path.join(dir, `${name}.ext`));
  };
  issue('server', 'chaincode-server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', 'chaincode-client', 'extendedKeyUsage=clientAuth\n');
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.key')) fs.chmodSync(path.join(dir, f), 0o600);
  return true;
}

/** The first file in a folder (fabric-ca-client names keys after their SKI). @param {string} dir */
function onlyFile(dir) {
  const files = fs.readdirSync(dir).filter((f) => !f.startsWith('.'));
  const first = files[0];
  if (!first) throw new Error(`no file in ${dir}`);
  return path.join(dir, first);
}

/**
 * The development network's profile: per organization its role, peers and client identity. It names every
 * organization's private key, so only tools that act as every organization on this one machine read it (the
 * integration tests, the benchmarks, the ledger audit); each REST gateway reads its own bundle instead
 * (gateway-bundles.mjs).
 * @param {Topology} t
 */
export function writeNetworkProfile(t) {
  const profile = {
    channel: t.channel.name,
    chaincode: t.chaincode.name,
    organizations: t.organizations.map((o) => ({
      mspId: o.mspId,
      role: o.role,
      peers: o.peers.map((p) => ({
        endpoint: `${p.address}:${p.port}`,
        hostAlias: p.host,
        tlsRootCertPath: path.join(p.tlsDir, 'ca.crt'),
      })),
      identity: {
        certPath: onlyFile(path.join(o.userMspDir, 'signcerts')),
        keyPath: onlyFile(path.join(o.userMspDir, 'keystore')),
      },
    })),
  };
  return writeIfChanged(t.paths.networkProfile, JSON.stringify(profile, null, 2) + '\n');
}
