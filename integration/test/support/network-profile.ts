import fs from 'node:fs';
import path from 'node:path';

/** The profile `network:up` writes for clients (see test-network-scripts/lib/config-files.mjs). */
export interface NetworkProfile {
  channel: string;
  chaincode: string;
  organizations: {
    mspId: string;
    role: 'ADVERTISER' | 'AGENCY' | 'PUBLISHER';
    peers: { endpoint: string; hostAlias: string; tlsRootCertPath: string }[];
    identity: { certPath: string; keyPath: string };
  }[];
}

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
export const runDir = path.join(repoRoot, 'network', 'run');

/** Reads the running network's profile; fails with a hint when the network was never started. */
export function loadProfile(): NetworkProfile {
  const file = process.env.ADRECON_NETWORK_PROFILE ?? path.join(runDir, 'gateway-profile.json');
  if (!fs.existsSync(file)) {
    throw new Error(`no network profile at ${file}: start the network (npm run network:up) first`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as NetworkProfile;
}

/** The MSP ID of the first organization with a role. */
export function mspOf(profile: NetworkProfile, role: NetworkProfile['organizations'][number]['role']): string {
  const org = profile.organizations.find((o) => o.role === role);
  if (!org) throw new Error(`the network has no ${role} organization`);
  return org.mspId;
}
