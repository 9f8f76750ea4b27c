import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A CA and a client identity it issued, made with openssl (EC P-256, like cryptogen's). */
export interface TestIdentity {
  readonly caCertPath: string;
  readonly certPath: string;
  readonly keyPath: string;
}

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** Creates `<dir>/<name>/{ca.crt,ca.key,cert.pem,key.pem}`: a self-signed CA and a client certificate it signed. */
export function makeIdentity(dir: string, name: string): TestIdentity {
  const out = path.join(dir, name);
  fs.mkdirSync(out, { recursive: true });
  const file = (f: string): string => path.join(out, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '2',
    '-subj',
    `/O=${name}/CN=ca.${name}`,
  ]);
  openssl([
    'req',
    ...ec,
    '-keyout',
    file('key.pem'),
    '-out',
    file('client.csr'),
    '-subj',
    `/O=${name}/CN=User1@${name}`,
  ]);
  openssl(
    ['x509', '-req', '-in', file('client.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key')].concat([
      '-CAcreateserial',
      '-out',
      file('cert.pem'),
      '-days',
      '2',
    ]),
  );
  return { caCertPath: file('ca.crt'), certPath: file('cert.pem'), keyPath: file('key.pem') };
}

/**
 * Writes an organization's gateway bundle as the network scripts do: `profile.json` with paths relative to its
 * folder, and the identity's files copied beside it.
 */
export function writeBundle(dir: string, mspId: string, identity: TestIdentity, others: readonly string[]): string {
  fs.mkdirSync(path.join(dir, 'identity'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'tls'), { recursive: true });
  fs.copyFileSync(identity.certPath, path.join(dir, 'identity', 'cert.pem'));
  fs.copyFileSync(identity.keyPath, path.join(dir, 'identity', 'key.pem'));
  fs.copyFileSync(identity.caCertPath, path.join(dir, 'identity', 'ca.crt'));
  fs.copyFileSync(identity.caCertPath, path.join(dir, 'tls', 'ca.crt'));
  const profile = {
    channel: 'adrecon',
    chaincode: 'adrecon',
    organization: {
      mspId,
      role: 'PUBLISHER',
      peers: [{ endpoint: '127.0.0.1:1', hostAlias: 'peer0.test', tlsRootCertPath: 'tls/ca.crt' }],
      identity: { certPath: 'identity/cert.pem', keyPath: 'identity/key.pem', caCertPath: 'identity/ca.crt' },
    },
    otherOrganizations: others,
  };
  const file = path.join(dir, 'profile.json');
  fs.writeFileSync(file, JSON.stringify(profile));
  return file;
}
