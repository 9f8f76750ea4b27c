import { loadNetworkProfile, type NetworkProfile } from '@adrecon/gateway';
import path from 'node:path';

export type { NetworkProfile };

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
export const runDir = path.join(repoRoot, 'network', 'run');

/**
 * The running network's profile (written by `network:up`), read and validated by the same code the REST
 * gateway uses; fails with a hint when the network was never started.
 */
export function loadProfile(): NetworkProfile {
  return loadNetworkProfile(process.env.ADRECON_NETWORK_PROFILE ?? path.join(runDir, 'gateway-profile.json'));
}

/** The MSP ID of the first organization with a role. */
export function mspOf(profile: NetworkProfile, role: NetworkProfile['organizations'][number]['role']): string {
  const org = profile.organizations.find((o) => o.role === role);
  if (!org) throw new Error(`the network has no ${role} organization`);
  return org.mspId;
}
