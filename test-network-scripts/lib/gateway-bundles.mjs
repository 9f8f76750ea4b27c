// @ts-check
// One folder per organization with everything its REST gateway needs and nothing of any other
// organization: its profile, its client identity (certificate, private key, the CA that issued them),
// its peers' TLS root certificate. `npm start` adds its API keys and state there. The folder is what an
// organization copies to its own host to run its gateway there (docs/network.md).
import fs from 'node:fs';
import path from 'node:path';
import { gatewayRegistrarMspDir } from './identities.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').Organization} Organization */

/** The profile's name inside a bundle; the gateway resolves the profile's relative paths against its folder. */
export const BUNDLE_PROFILE = 'profile.json';

/** @param {string} file @param {Buffer | string} content @param {number} mode */
function writeIfChanged(file, content, mode) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const bytes = Buffer.from(content);
  if (!(fs.existsSync(file) && fs.readFileSync(file).equals(bytes))) fs.writeFileSync(file, bytes, { mode });
  fs.chmodSync(file, mode);
}

/** The one file in a folder (fabric-ca-client names private keys after their SKI). @param {string} dir */
function onlyFile(dir) {
  const files = fs.readdirSync(dir).filter((f) => !f.startsWith('.'));
  if (files.length !== 1 || files[0] === undefined) throw new Error(`expected exactly one file in ${dir}`);
  return path.join(dir, files[0]);
}

/**
 * Writes one organization's gateway bundle into its `gatewayDir`.
 * @param {Topology} t @param {Organization} org
 */
export function writeGatewayBundle(t, org) {
  const dir = org.gatewayDir;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  writeIfChanged(
    path.join(dir, 'identity', 'cert.pem'),
    fs.readFileSync(onlyFile(path.join(org.userMspDir, 'signcerts'))),
    0o644,
  );
  writeIfChanged(
    path.join(dir, 'identity', 'key.pem'),
    fs.readFileSync(onlyFile(path.join(org.userMspDir, 'keystore'))),
    0o600,
  );
  writeIfChanged(path.join(dir, 'identity', 'ca.crt'), fs.readFileSync(org.caCertFile), 0o644);
  writeIfChanged(path.join(dir, 'tls', 'ca.crt'), fs.readFileSync(org.tlsCaFile), 0o644);
  // The organization's own CA and the registrar that registers, enrolls and revokes its users.
  const registrar = gatewayRegistrarMspDir(org);
  writeIfChanged(path.join(dir, 'ca', 'ca.crt'), fs.readFileSync(org.ca.certFile), 0o644);
  writeIfChanged(
    path.join(dir, 'ca', 'registrar', 'msp', 'signcerts', 'cert.pem'),
    fs.readFileSync(path.join(registrar, 'signcerts', 'cert.pem')),
    0o644,
  );
  const registrarKey = onlyFile(path.join(registrar, 'keystore'));
  writeIfChanged(
    path.join(dir, 'ca', 'registrar', 'msp', 'keystore', path.basename(registrarKey)),
    fs.readFileSync(registrarKey),
    0o600,
  );
  const profile = {
    channel: t.channel.name,
    chaincode: t.chaincode.name,
    organization: {
      mspId: org.mspId,
      role: org.role,
      peers: org.peers.map((p) => ({
        endpoint: `${p.address}:${p.port}`,
        hostAlias: p.host,
        tlsRootCertPath: 'tls/ca.crt',
      })),
      identity: { certPath: 'identity/cert.pem', keyPath: 'identity/key.pem', caCertPath: 'identity/ca.crt' },
      ca: {
        url: `https://${org.ca.address}:${org.ca.port}`,
        caName: org.ca.name,
        tlsCertPath: 'ca/ca.crt',
        registrarMspPath: 'ca/registrar/msp',
      },
    },
    otherOrganizations: t.organizations.filter((o) => o.mspId !== org.mspId).map((o) => o.mspId),
  };
  writeIfChanged(path.join(dir, BUNDLE_PROFILE), JSON.stringify(profile, null, 2) + '\n', 0o644);
}

/** Writes every organization's gateway bundle. @param {Topology} t */
export function writeGatewayBundles(t) {
  for (const org of t.organizations) writeGatewayBundle(t, org);
}
