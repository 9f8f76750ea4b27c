import type { ApiKeyEntry } from './api-keys';

/**
 * Checks that every API key of a gateway's keys file belongs to the organization the gateway serves: a gateway
 * authenticates only its own organization's users, so a key of another organization means a wrong file.
 * @throws {Error} naming the foreign clients and their organizations.
 */
export function assertOwnOrganizationKeys(entries: readonly ApiKeyEntry[], mspId: string, file: string): void {
  const foreign = entries.filter((entry) => entry.mspId !== mspId);
  if (foreign.length === 0) return;
  const named = foreign.map((entry) => `${entry.clientId} (${entry.mspId})`).join(', ');
  throw new Error(
    `API keys file ${file} holds keys of other organizations than ${mspId}: ${named}; ` +
      `a gateway holds only its own organization's keys`,
  );
}
