import * as fs from 'node:fs';
import { z } from 'zod';

const peerSchema = z.strictObject({
  endpoint: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port'),
  hostAlias: z.string().min(1),
  tlsRootCertPath: z.string().min(1),
});

const organizationSchema = z.strictObject({
  mspId: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/),
  role: z.enum(['ADVERTISER', 'AGENCY', 'PUBLISHER']),
  peers: z.array(peerSchema).min(1),
  identity: z.strictObject({ certPath: z.string().min(1), keyPath: z.string().min(1) }),
});

/** Schema of `network/run/gateway-profile.json`. */
export const networkProfileSchema = z.strictObject({
  channel: z.string().min(1),
  chaincode: z.string().min(1),
  organizations: z.array(organizationSchema).min(1),
});

/** The network profile written by the network scripts. */
export type NetworkProfile = z.infer<typeof networkProfileSchema>;
/** One peer of an organization in the profile. */
export type PeerProfile = z.infer<typeof peerSchema>;
/** One organization of the profile. */
export type OrganizationProfile = z.infer<typeof organizationSchema>;

/**
 * Reads and validates a network profile.
 * @throws {Error} with a clear message when the file is missing or invalid.
 */
export function loadNetworkProfile(file: string): NetworkProfile {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`network profile ${file} cannot be read; start the network first (npm run network:up)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`network profile ${file} is not valid JSON`);
  }
  const parsed = networkProfileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`network profile ${file} is invalid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
