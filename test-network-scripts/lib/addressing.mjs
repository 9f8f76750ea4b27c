// @ts-check
// The addressing plan: where each node listens and is dialled. By default every node binds 127.0.0.1. With
// namespaces (network.json's `"namespaces": true`, or ADRECON_NETNS=1), each organization's nodes run in a Linux
// network namespace of their own and the orderers in another, each namespace joined to one bridge in the root
// namespace by a veth link, on a private /24 derived from the base port so that networks of different base ports
// never share a name or an address. Nothing here touches the system: namespaces.mjs creates what this plans.

/** The address every node binds without namespaces. */
export const LOOPBACK = '127.0.0.1';

/** The longest Linux interface name (IFNAMSIZ - 1). */
const IFNAME_MAX = 15;

/**
 * One namespace of the plan: an organization's (or the orderers'), with the root-side end of its veth link.
 * @typedef {{ key: string, name: string, link: string, address: string }} NamespaceSpace
 * @typedef {{ subnet: string, prefix: number, bridge: string, bridgeAddress: string, spaces: NamespaceSpace[] }}
 *   NamespacePlan
 */

/**
 * Whether a network definition asks for namespaces: its `namespaces` setting, or ADRECON_NETNS=1.
 * @param {{ namespaces?: unknown }} def
 * @throws {Error} when either setting has another value than a boolean or 0/1
 */
export function namespacesWanted(def) {
  const env = process.env.ADRECON_NETNS;
  if (env !== undefined && env !== '' && env !== '0' && env !== '1') {
    throw new Error(`ADRECON_NETNS must be 0 or 1, not '${env}'`);
  }
  if (def.namespaces !== undefined && typeof def.namespaces !== 'boolean') {
    throw new Error('network/network.json: namespaces must be true or false');
  }
  return env === '1' || def.namespaces === true;
}

/**
 * The namespaces, links and addresses of a network: subnet 10.(base >> 8).(base & 255).0/24, the bridge at .1,
 * the orderers' namespace at .2, member organization k at .(10 + k).
 * @param {number} basePort @param {string[]} organizationKeys lower-case organization names, in network order
 * @returns {NamespacePlan}
 */
export function namespacePlan(basePort, organizationKeys) {
  if (organizationKeys.length > 200) throw new Error('namespaces: at most 200 organizations fit the /24');
  const net = `10.${String((basePort >> 8) & 255)}.${String(basePort & 255)}`;
  const link = (/** @type {string} */ suffix) => {
    const name = `adr${String(basePort)}-${suffix}`;
    if (name.length > IFNAME_MAX) throw new Error(`namespaces: interface name ${name} is too long`);
    return name;
  };
  /** @type {NamespaceSpace[]} */
  const spaces = [
    { key: 'orderer', name: `adrecon-${String(basePort)}-orderer`, link: link('o'), address: `${net}.2` },
    ...organizationKeys.map((key, k) => ({
      key,
      name: `adrecon-${String(basePort)}-${key}`,
      link: link(String(k)),
      address: `${net}.${String(10 + k)}`,
    })),
  ];
  return { subnet: `${net}.0/24`, prefix: 24, bridge: link('br'), bridgeAddress: `${net}.1`, spaces };
}
