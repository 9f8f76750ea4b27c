import { loadNetworkProfile, type NetworkProfile } from '@adrecon/gateway';
import path from 'node:path';

export type { NetworkProfile };

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
export const runDir = path.join(repoRoot, 'network', 'run');

/**
 * The running network's profile (every organization's identity on this one machine: the tests act as each) (written by `network:up`), read and validated by the same code the REST
 * gateway uses; fails with a hint when the network was never started. `dir`: the run folder of another network
 * (an isolated one a test started), instead of the shared one's.
 */
export function loadProfile(dir?: string): NetworkProfile {
  if (dir !== undefined) return loadNetworkProfile(path.join(dir, 'network-profile.json'));
  return loadNetworkProfile(process.env.ADRECON_NETWORK_PROFILE ?? path.join(runDir, 'network-profile.json'));
}

/** The MSP ID of the first organization with a role. */
export function mspOf(profile: NetworkProfile, role: NetworkProfile['organizations'][number]['role']): string {
  const org = profile.organizations.find((o) => o.role === role);
  if (!org) throw new Error(`the network has no ${role} organization`);
  return org.mspId;
}

/** The MSP IDs of every organization with a role, in the profile's order. */
export function mspsOf(profile: NetworkProfile, role: NetworkProfile['organizations'][number]['role']): string[] {
  return profile.organizations.filter((o) => o.role === role).map((o) => o.mspId);
}

/** The second publisher of the network: a competitor of the first on the same channel. */
export function secondPublisherOf(profile: NetworkProfile): string {
  const second = mspsOf(profile, 'PUBLISHER')[1];
  if (second === undefined) throw new Error('the network has one publisher; network.json should define two');
  return second;
}
