import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { USER_ROLE_ATTRIBUTE, type UserRole } from '@adrecon/contract';

/** Where an organization's Fabric CA answers, and the registrar its gateway holds (from the gateway profile). */
export interface CaSettings {
  readonly url: string;
  readonly caName: string;
  readonly tlsCertPath: string;
  readonly registrarMspPath: string;
}

/** A user's enrollment: its certificate and private key, PEM. */
export interface Enrollment {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Registers, enrolls and revokes an organization's users at its own CA, as the gateway's registrar. */
export interface CaEnroller {
  /**
   * Registers a client identity with the `adrecon.role` attribute in its certificates and enrolls it. With
   * `reuse`, an identity the CA already knows (the same demo user of another gateway instance) gets a new secret
   * and is enrolled again, keeping its registered attributes.
   * @throws {Error} quoting the CA when it refuses (an ID already registered, a registrar without the right).
   */
  registerAndEnroll(enrollmentId: string, role: UserRole, options?: { reuse?: boolean }): Promise<Enrollment>;
  /**
   * Revokes every certificate of a user and has the CA generate its new CRL.
   * @returns the CRL, PEM.
   */
  revoke(enrollmentId: string): Promise<string>;
}

/** Options of {@link newCaEnroller}. */
export interface CaEnrollerOptions {
  readonly ca: CaSettings;
  /** The `fabric-ca-client` executable (Fabric CA's own client). */
  readonly binary: string;
  /** A private folder for the client's home and enrollments in progress. */
  readonly workDir: string;
}

function run(binary: string, args: readonly string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FABRIC_')) env[k] = v;
  return new Promise((resolve, reject) => {
    execFile(binary, args, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) {
        const said = (stderr || stdout).trim().split('\n').slice(-3).join(' ');
        reject(new Error(`fabric-ca-client ${args[0] ?? ''} failed: ${said || err.message}`));
      } else resolve(stdout);
    });
  });
}

/** An enroller that runs Fabric CA's `fabric-ca-client` against the organization's CA, over TLS. */
export function newCaEnroller(options: Readonly<CaEnrollerOptions>): CaEnroller {
  const { ca, binary, workDir } = options;
  const common = ['--tls.certfiles', ca.tlsCertPath, '--caname', ca.caName];
  const asRegistrar = [...common, '--home', path.join(workDir, 'registrar'), '--mspdir', ca.registrarMspPath];
  const host = new URL(ca.url).host;
  return {
    async registerAndEnroll(enrollmentId, role, registerOptions = {}) {
      const secret = crypto.randomBytes(18).toString('base64url');
      try {
        await run(binary, [
          'register',
          '--id.name',
          enrollmentId,
          '--id.secret',
          secret,
          '--id.type',
          'client',
          '--id.attrs',
          `${USER_ROLE_ATTRIBUTE}=${role}:ecert`,
          '-u',
          ca.url,
          ...asRegistrar,
        ]);
      } catch (err) {
        if (registerOptions.reuse !== true || !/already registered/i.test(String(err))) throw err;
        await run(binary, ['identity', 'modify', enrollmentId, '--secret', secret, '-u', ca.url, ...asRegistrar]);
      }
      const home = path.join(workDir, 'enrollments', enrollmentId);
      const msp = path.join(home, 'msp');
      fs.rmSync(home, { recursive: true, force: true });
      try {
        await run(binary, [
          'enroll',
          '-u',
          `https://${encodeURIComponent(enrollmentId)}:${secret}@${host}`,
          ...common,
          '--home',
          home,
          '--mspdir',
          msp,
        ]);
        const [keyFile] = fs.readdirSync(path.join(msp, 'keystore'));
        if (keyFile === undefined) throw new Error(`fabric-ca-client enroll left no key in ${msp}`);
        return {
          certPem: fs.readFileSync(path.join(msp, 'signcerts', 'cert.pem'), 'utf8'),
          keyPem: fs.readFileSync(path.join(msp, 'keystore', keyFile), 'utf8'),
        };
      } finally {
        fs.rmSync(home, { recursive: true, force: true });
      }
    },
    async revoke(enrollmentId) {
      await run(binary, ['revoke', '-e', enrollmentId, '--gencrl', '-u', ca.url, ...asRegistrar]);
      return fs.readFileSync(path.join(ca.registrarMspPath, 'crls', 'crl.pem'), 'utf8');
    },
  };
}
