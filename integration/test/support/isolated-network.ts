/**
 * How far above the shared test network's base port (ADRECON_BASE_PORT, default 7000) each test file that starts a
 * network of its own puts it, in one table so that no two overlap: a network uses its base up to base + 499
 * (docs/network.md's port plan), and the cut-off test's namespace names and subnet derive from its base too.
 */
const BASE_PORT_OFFSETS = {
  addOrganization: 9_000,
  networkFailures: 10_000,
  ledgerAudit: 10_500,
  faults: 11_000,
  peerSaturation: 11_500,
  cutoff: 12_250,
} as const;

/** A test file that starts a network of its own. */
export type IsolatedNetworkName = keyof typeof BASE_PORT_OFFSETS;

/** The base port of a test file's own network. */
export function isolatedBasePort(name: IsolatedNetworkName): number {
  return Number(process.env.ADRECON_BASE_PORT ?? 7000) + BASE_PORT_OFFSETS[name];
}

/**
 * The environment that points our network scripts (and a REST gateway started by the tests) at an isolated network:
 * its run folder and base port, its network definition when given, and any further settings.
 */
export function isolatedEnv(
  runDir: string,
  basePort: number,
  options: { readonly definition?: string; readonly extra?: Readonly<Record<string, string>> } = {},
): Record<string, string> {
  return {
    ADRECON_RUN_DIR: runDir,
    ADRECON_BASE_PORT: String(basePort),
    ...(options.definition === undefined ? {} : { ADRECON_NETWORK_DEFINITION: options.definition }),
    ...options.extra,
  };
}
