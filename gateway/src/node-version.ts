/**
 * The oldest Node.js the gateway and its pinned dependencies support: the root package.json's `engines.node`
 * (`>=20.19`), which a unit test keeps equal to this constant. `@hyperledger/fabric-gateway` is pinned to 1.11.0,
 * the last release that declares Node 20 support (1.12 requires Node 22.12).
 */
export const MINIMUM_NODE_VERSION: readonly [number, number] = [20, 19];

/**
 * Refuses to run on an older Node.js than {@link MINIMUM_NODE_VERSION}, with a message that says what to install.
 * @throws {Error} naming the running and the required version.
 */
export function assertSupportedNode(version: string = process.versions.node): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [needMajor, needMinor] = MINIMUM_NODE_VERSION;
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return;
  throw new Error(
    `Node.js ${version} is too old: adrecon needs Node.js >= ${String(needMajor)}.${String(needMinor)} (see README, Requirements)`,
  );
}
