import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { NetworkProfile, OrganizationProfile } from './network-profile';

const MSP_ID = /^[A-Za-z0-9.-]{1,64}$/;

const peerSchema = z.strictObject({
  endpoint: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port'),
  hostAlias: z.string().min(1),
  tlsRootCertPath: z.string().min(1),
});

/** Schema of an organization's gateway profile (`network/run/gateway/<organization>/profile.json`). */
export const gatewayProfileSchema = z.strictObject({
  channel: z.string().min(1),
  chaincode: z.string().min(1),
  /** The one organization this gateway acts for: its peers and its one client identity. */
  organization: z.strictObject({
    mspId: z.string().regex(MSP_ID),
    role: z.enum(['ADVERTISER', 'AGENCY', 'PUBLISHER']),
    peers: z.array(peerSchema).min(1),
    identity: z.strictObject({
      certPath: z.string().min(1),
      keyPath: z.string().min(1),
      /** The organization's CA certificate (its MSP's `cacerts`): the identity must be issued by it. */
      caCertPath: z.string().min(1),
    }),
    /** The organization's own Fabric CA and the registrar the gateway registers, enrolls and revokes users with. */
    ca: z
      .strictObject({
        url: z.string().regex(/^https:\/\/[^\s/:]+:\d{1,5}$/, 'https://host:port'),
        caName: z.string().min(1),
        tlsCertPath: z.string().min(1),
        registrarMspPath: z.string().min(1),
      })
      .optional(),
  }),
  /** MSP IDs of the channel's other organizations, whose peers endorse writes too: names only, no keys. */
  otherOrganizations: z.array(z.string().regex(MSP_ID)),
});

/** An organization's gateway profile, with every path absolute. */
export type GatewayProfile = z.infer<typeof gatewayProfileSchema>;

/**
 * Reads and validates an organization's gateway profile. Relative paths in it are resolved against the profile's
 * folder, so that the folder can be copied to the organization's own host as it is.
 * @throws {Error} with a clear message when the file is missing or invalid.
 */
export function loadGatewayProfile(file: string): GatewayProfile {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`gateway profile ${file} cannot be read; start the network first (npm run network:up)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`gateway profile ${file} is not valid JSON`);
  }
  const parsed = gatewayProfileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`gateway profile ${file} is invalid:\n${lines.join('\n')}`);
  }
  const profile = parsed.data;
  const own = profile.organization;
  if (profile.otherOrganizations.includes(own.mspId)) {
    throw new Error(`gateway profile ${file} is invalid: otherOrganizations names its own organization ${own.mspId}`);
  }
  const dir = path.dirname(path.resolve(file));
  const resolve = (p: string): string => path.resolve(dir, p);
  return {
    ...profile,
    organization: {
      ...own,
      peers: own.peers.map((peer) => ({ ...peer, tlsRootCertPath: resolve(peer.tlsRootCertPath) })),
      identity: {
        certPath: resolve(own.identity.certPath),
        keyPath: resolve(own.identity.keyPath),
        caCertPath: resolve(own.identity.caCertPath),
      },
      ...(own.ca === undefined
        ? {}
        : {
            ca: {
              ...own.ca,
              tlsCertPath: resolve(own.ca.tlsCertPath),
              registrarMspPath: resolve(own.ca.registrarMspPath),
            },
          }),
    },
  };
}

/** The gateway profile as the ledger client's network profile: one organization, the one with an identity. */
export function singleOrganizationProfile(profile: Readonly<GatewayProfile>): NetworkProfile {
  const { mspId, role, peers, identity } = profile.organization;
  const organization: OrganizationProfile = {
    mspId,
    role,
    peers,
    identity: { certPath: identity.certPath, keyPath: identity.keyPath },
  };
  return { channel: profile.channel, chaincode: profile.chaincode, organizations: [organization] };
}
