// @ts-check
// Every identity of the network, issued by its organization's Fabric CA: the nodes' enrollment and TLS
// certificates, each organization's admin, and the users. The folders keep cryptogen's layout (peers/<host>/msp,
// peers/<host>/tls/{server.crt,server.key,ca.crt}, users/<Name>@<domain>/msp, msp/ and tlsca/ of the organization),
// so everything that reads them is unchanged. Each step is skipped when its files exist, so `up` after `down` does
// not enroll again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fabric } from './fabric-cli.mjs';
import { REGISTRAR_ID, registrarSecret } from './certificate-authorities.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').CaNode} CaNode */
/** @typedef {import('./topology.mjs').Organization} Organization */

/** The certificate attribute of a user's role, as `USER_ROLE_ATTRIBUTE` in contract/src/user-roles.ts names it. */
export const USER_ROLE_ATTRIBUTE = 'adrecon.role';

/** Loopback names every TLS certificate carries (the nodes run on 127.0.0.1). */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost'];

/** A node's namespace address, which its certificate carries too (none without namespaces). @param {string} address */
const namespaceHosts = (address) => (LOOPBACK_HOSTS.includes(address) ? [] : [address]);

/** The Node OU classification every MSP folder declares, against the organization's one CA certificate. */
const NODE_OUS_YAML = ['client', 'peer', 'admin', 'orderer']
  .map(
    (ou) =>
      `  ${ou[0]?.toUpperCase()}${ou.slice(1)}OUIdentifier:\n    Certificate: cacerts/ca.crt\n    OrganizationalUnitIdentifier: ${ou}\n`,
  )
  .join('');
const CONFIG_YAML = `NodeOUs:\n  Enable: true\n${NODE_OUS_YAML}`;

/** The flags every fabric-ca-client call against one CA takes. @param {CaNode} ca @param {string} home */
function caFlags(ca, home) {
  return ['--home', home, '--tls.certfiles', ca.certFile, '--caname', ca.name];
}

/**
 * Runs fabric-ca-client without any FABRIC_CA_* variable of ours leaking into its configuration.
 * @param {string[]} args
 */
export function caClient(args) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FABRIC_')) env[k] = v;
  return fabric('fabric-ca-client', args, { env });
}

/** The registrar's client home: enrolled once per CA. @param {CaNode} ca */
export async function registrarHome(ca) {
  const home = path.join(ca.clientDir, REGISTRAR_ID);
  if (!fs.existsSync(path.join(home, 'msp', 'signcerts', 'cert.pem'))) {
    await caClient([
      'enroll',
      '-u',
      `https://${REGISTRAR_ID}:${registrarSecret(ca)}@${ca.address}:${ca.port}`,
      ...caFlags(ca, home),
    ]);
  }
  return home;
}

/**
 * Registers an identity (when the CA does not know it yet) and returns its enrollment secret, kept (0600) in the
 * registrar's folder so that a later enrollment of the same identity finds it.
 * @param {CaNode} ca @param {{ id: string, type: 'peer' | 'orderer' | 'admin' | 'client', attrs?: string }} identity
 */
export async function register(ca, identity) {
  const home = await registrarHome(ca);
  const secrets = path.join(home, 'secrets');
  const file = path.join(secrets, identity.id);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(18).toString('base64url');
  await caClient([
    'register',
    '--id.name',
    identity.id,
    '--id.secret',
    secret,
    '--id.type',
    identity.type,
    ...(identity.attrs ? ['--id.attrs', identity.attrs] : []),
    '-u',
    `https://${ca.address}:${ca.port}`,
    ...caFlags(ca, home),
  ]);
  fs.mkdirSync(secrets, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Keeps only the CA certificate as cacerts/ca.crt and tlscacerts/ca.crt, and declares the Node OUs. @param {string} msp @param {CaNode} ca */
function normalizeMsp(msp, ca) {
  for (const sub of ['cacerts', 'tlscacerts', 'intermediatecerts', 'tlsintermediatecerts']) {
    fs.rmSync(path.join(msp, sub), { recursive: true, force: true });
  }
  fs.rmSync(path.join(msp, 'IssuerPublicKey'), { force: true });
  fs.rmSync(path.join(msp, 'IssuerRevocationPublicKey'), { force: true });
  fs.rmSync(path.join(msp, 'user'), { recursive: true, force: true });
  for (const sub of ['cacerts', 'tlscacerts']) {
    fs.mkdirSync(path.join(msp, sub), { recursive: true });
    fs.copyFileSync(ca.certFile, path.join(msp, sub, 'ca.crt'));
  }
  fs.writeFileSync(path.join(msp, 'config.yaml'), CONFIG_YAML);
}

/** The one file in a folder (the client names private keys after their SKI). @param {string} dir */
function onlyFile(dir) {
  const [first, ...rest] = fs.readdirSync(dir).filter((f) => !f.startsWith('.'));
  if (first === undefined || rest.length > 0) throw new Error(`expected exactly one file in ${dir}`);
  return path.join(dir, first);
}

/**
 * Enrolls an identity's MSP folder (its enrollment certificate carries `hf.EnrollmentID`, `hf.Type` and any `:ecert`
 * attribute it was registered with).
 * @param {CaNode} ca @param {string} id @param {string} secret @param {string} msp @param {string[]} [hosts]
 */
export async function enrollMsp(ca, id, secret, msp, hosts = []) {
  if (fs.existsSync(path.join(msp, 'signcerts', 'cert.pem'))) return false;
  const home = path.join(ca.clientDir, 'enrollments', id);
  await caClient([
    'enroll',
    '-u',
    `https://${id}:${encodeURIComponent(secret)}@${ca.address}:${ca.port}`,
    '--mspdir',
    msp,
    ...(hosts.length ? ['--csr.hosts', hosts.join(',')] : []),
    ...caFlags(ca, home),
  ]);
  normalizeMsp(msp, ca);
  return true;
}

/**
 * Enrolls a TLS certificate (profile `tls`) into `tlsDir` as `<name>.crt`/`<name>.key` with the CA as `ca.crt`.
 * @param {CaNode} ca @param {string} id @param {string} secret @param {string} tlsDir @param {'server' | 'client'} name
 * @param {string[]} hosts
 */
async function enrollTls(ca, id, secret, tlsDir, name, hosts) {
  if (fs.existsSync(path.join(tlsDir, `${name}.key`))) return false;
  const home = path.join(ca.clientDir, 'enrollments', `${id}-tls`);
  const tmp = path.join(home, 'tls-msp');
  fs.rmSync(tmp, { recursive: true, force: true });
  await caClient([
    'enroll',
    '-u',
    `https://${id}:${encodeURIComponent(secret)}@${ca.address}:${ca.port}`,
    '--enrollment.profile',
    'tls',
    '--mspdir',
    tmp,
    '--csr.hosts',
    hosts.join(','),
    ...caFlags(ca, home),
  ]);
  fs.mkdirSync(tlsDir, { recursive: true });
  fs.copyFileSync(path.join(tmp, 'signcerts', 'cert.pem'), path.join(tlsDir, `${name}.crt`));
  fs.copyFileSync(onlyFile(path.join(tmp, 'keystore')), path.join(tlsDir, `${name}.key`));
  fs.chmodSync(path.join(tlsDir, `${name}.key`), 0o600);
  fs.copyFileSync(ca.certFile, path.join(tlsDir, 'ca.crt'));
  fs.rmSync(tmp, { recursive: true, force: true });
  return true;
}

/**
 * The organization's MSP definition folder (for the channel configuration) and the CA certificate copies other
 * tools read (`tlsca/`, `ca/`).
 * @param {{ cryptoDir: string, tlsCaFile: string, caCertFile: string, ca: CaNode }} org
 */
function writeOrganizationMsp(org) {
  const msp = path.join(org.cryptoDir, 'msp');
  fs.mkdirSync(msp, { recursive: true });
  normalizeMsp(msp, org.ca);
  for (const file of [org.tlsCaFile, org.caCertFile]) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(org.ca.certFile, file);
  }
}

/** The enrollment ID of an organization's admin. */
export const ADMIN_ID = 'orgadmin';
/** The enrollment ID of the identity the development profile and tests use for an organization (role admin). */
export const PROFILE_USER_ID = 'user1';
/**
 * The enrollment ID of the registrar an organization's REST gateway holds: it may register client identities with
 * an `adrecon.role` attribute and revoke them, and nothing else (the CA's bootstrap registrar stays with the CA).
 */
export const GATEWAY_REGISTRAR_ID = 'gateway-registrar';

/** Where an organization's gateway registrar is enrolled. @param {Organization} org */
export function gatewayRegistrarMspDir(org) {
  return path.join(org.cryptoDir, 'users', `${GATEWAY_REGISTRAR_ID}@${org.domain}`, 'msp');
}

/** One identity's chain of steps: register it, then enroll what it needs. Resolves with how many enrollments it made. */
/** @typedef {() => Promise<number>} IdentityChain */

/** @param {IdentityChain[]} chains */
async function runChains(chains) {
  const counts = await Promise.all(chains.map((chain) => chain()));
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Enrolls every identity of one member organization that is missing: the registrar first, then every identity's
 * registration and enrollment at once (the CA serves them concurrently).
 * @param {Organization} org @returns {Promise<number>} how many enrollments this call made
 */
export async function enrollOrganization(org) {
  writeOrganizationMsp(org);
  await registrarHome(org.ca);
  /** @type {IdentityChain[]} */
  const chains = org.peers.map((p) => async () => {
    const id = p.name.split('.')[0] ?? p.name;
    const secret = await register(org.ca, { id, type: 'peer' });
    const hosts = [...LOOPBACK_HOSTS, p.host, ...namespaceHosts(p.address)];
    const [msp, tls] = await Promise.all([
      enrollMsp(org.ca, id, secret, p.mspDir, hosts),
      enrollTls(org.ca, id, secret, p.tlsDir, 'server', hosts),
    ]);
    return Number(msp) + Number(tls);
  });
  // The organization's admin signs lifecycle and registry transactions: its role is admin on the ledger too.
  chains.push(async () => {
    const secret = await register(org.ca, { id: ADMIN_ID, type: 'admin', attrs: `${USER_ROLE_ATTRIBUTE}=admin:ecert` });
    return Number(await enrollMsp(org.ca, ADMIN_ID, secret, org.adminMspDir));
  });
  chains.push(async () => {
    const secret = await register(org.ca, {
      id: PROFILE_USER_ID,
      type: 'client',
      attrs: `${USER_ROLE_ATTRIBUTE}=admin:ecert`,
    });
    return Number(await enrollMsp(org.ca, PROFILE_USER_ID, secret, org.userMspDir));
  });
  chains.push(async () => {
    const secret = await register(org.ca, {
      id: GATEWAY_REGISTRAR_ID,
      type: 'client',
      attrs: `hf.Registrar.Roles=client,hf.Registrar.Attributes=${USER_ROLE_ATTRIBUTE},hf.Revoker=true`,
    });
    return Number(await enrollMsp(org.ca, GATEWAY_REGISTRAR_ID, secret, gatewayRegistrarMspDir(org)));
  });
  return runChains(chains);
}

/** Enrolls the orderer organization's nodes and admin (with an admin TLS client certificate for osnadmin). @param {Topology} t */
async function enrollOrdererOrganization(t) {
  const org = t.ordererOrg;
  writeOrganizationMsp(org);
  await registrarHome(org.ca);
  /** @type {IdentityChain[]} */
  const chains = t.orderers.map((o) => async () => {
    const secret = await register(org.ca, { id: o.name, type: 'orderer' });
    const hosts = [...LOOPBACK_HOSTS, o.host, ...namespaceHosts(o.address)];
    const [msp, tls] = await Promise.all([
      enrollMsp(org.ca, o.name, secret, o.mspDir, hosts),
      enrollTls(org.ca, o.name, secret, o.tlsDir, 'server', hosts),
    ]);
    return Number(msp) + Number(tls);
  });
  chains.push(async () => {
    const secret = await register(org.ca, { id: ADMIN_ID, type: 'admin' });
    const [msp, tls] = await Promise.all([
      enrollMsp(org.ca, ADMIN_ID, secret, org.adminMspDir),
      enrollTls(org.ca, ADMIN_ID, secret, org.adminTlsDir, 'client', LOOPBACK_HOSTS),
    ]);
    return Number(msp) + Number(tls);
  });
  return runChains(chains);
}

/**
 * Issues every missing identity of the network from the organizations' CAs (which must be running), one
 * organization after another per CA and all CAs at once.
 * @param {Topology} t @returns {Promise<number>} how many enrollments were made
 */
export async function ensureIdentities(t) {
  const counts = await Promise.all([enrollOrdererOrganization(t), ...t.organizations.map(enrollOrganization)]);
  return counts.reduce((a, b) => a + b, 0);
}
