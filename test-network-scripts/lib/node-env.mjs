// @ts-check
// The environment each Fabric process runs with. Fabric reads every CORE_* and ORDERER_* variable
// as configuration, so these are built as fresh objects for the child only; the scripts never
// export such names themselves.
import path from 'node:path';
import { builderDir } from './topology.mjs';

/** @typedef {import('./topology.mjs').Topology} Topology */
/** @typedef {import('./topology.mjs').OrdererNode} OrdererNode */
/** @typedef {import('./topology.mjs').PeerNode} PeerNode */
/** @typedef {import('./topology.mjs').Organization} Organization */

/** Variables a child keeps from our environment: nothing Fabric would read as configuration. */
function baseEnv() {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('CORE_') && !k.startsWith('ORDERER_') && !k.startsWith('FABRIC_')) env[k] = v;
  }
  env.FABRIC_LOGGING_SPEC = process.env.ADRECON_FABRIC_LOGGING_SPEC ?? 'INFO';
  return env;
}

/**
 * With namespaces a link can be cut, and a cut drops packets instead of refusing them: a gRPC stream then looks
 * alive until TCP's retransmission timer, grown over the cut to tens of seconds, tries again. Keepalive pings every
 * 5 s (the servers allow them) find a dead stream within 8 s, so that after the link returns a peer dials its
 * orderer and other peers again instead of waiting for that timer. Loopback (the default) loses no packets and
 * keeps Fabric's defaults.
 * @param {Topology} t @param {'orderer' | 'peer'} kind @returns {Record<string, string>}
 */
function linkLossKeepalive(t, kind) {
  if (!t.namespaces) return {};
  if (kind === 'orderer') return { ORDERER_GENERAL_KEEPALIVE_SERVERMININTERVAL: '5s' };
  return {
    CORE_PEER_KEEPALIVE_MININTERVAL: '5s',
    CORE_PEER_KEEPALIVE_CLIENT_INTERVAL: '5s',
    CORE_PEER_KEEPALIVE_CLIENT_TIMEOUT: '3s',
    CORE_PEER_KEEPALIVE_DELIVERYCLIENT_INTERVAL: '5s',
    CORE_PEER_KEEPALIVE_DELIVERYCLIENT_TIMEOUT: '3s',
    // A cut makes every dial fail at once, and the block deliverer's retry delay grows by 1.2× per failure (about
    // 6 s after 30 s cut off, 3600 s at most): capped at 1 s, the peer asks its orderer again within 1 s of the heal.
    CORE_PEER_DELIVERYCLIENT_RECONNECTBACKOFFTHRESHOLD: '1s',
  };
}

/** @param {Topology} t @param {OrdererNode} o @param {string} sampleConfigDir */
export function ordererEnv(t, o, sampleConfigDir) {
  const tls = (/** @type {string} */ f) => path.join(o.tlsDir, f);
  return {
    ...baseEnv(),
    FABRIC_CFG_PATH: sampleConfigDir,
    ORDERER_GENERAL_LISTENADDRESS: o.address,
    ORDERER_GENERAL_LISTENPORT: String(o.port),
    ORDERER_GENERAL_LOCALMSPID: t.ordererOrg.mspId,
    ORDERER_GENERAL_LOCALMSPDIR: o.mspDir,
    ORDERER_GENERAL_TLS_ENABLED: 'true',
    ORDERER_GENERAL_TLS_PRIVATEKEY: tls('server.key'),
    ORDERER_GENERAL_TLS_CERTIFICATE: tls('server.crt'),
    ORDERER_GENERAL_TLS_ROOTCAS: `[${tls('ca.crt')}]`,
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: tls('server.crt'),
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: tls('server.key'),
    ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${tls('ca.crt')}]`,
    ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
    ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
    ORDERER_FILELEDGER_LOCATION: path.join(o.dataDir, 'ledger'),
    ORDERER_CONSENSUS_WALDIR: path.join(o.dataDir, 'etcdraft', 'wal'),
    ORDERER_CONSENSUS_SNAPDIR: path.join(o.dataDir, 'etcdraft', 'snapshot'),
    ORDERER_OPERATIONS_LISTENADDRESS: `${o.address}:${o.operationsPort}`,
    ORDERER_METRICS_PROVIDER: 'prometheus',
    ORDERER_ADMIN_LISTENADDRESS: `${o.address}:${o.adminPort}`,
    ORDERER_ADMIN_TLS_ENABLED: 'true',
    ORDERER_ADMIN_TLS_PRIVATEKEY: tls('server.key'),
    ORDERER_ADMIN_TLS_CERTIFICATE: tls('server.crt'),
    ORDERER_ADMIN_TLS_ROOTCAS: `[${tls('ca.crt')}]`,
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
    ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${tls('ca.crt')}]`,
    ...linkLossKeepalive(t, 'orderer'),
  };
}

/**
 * `ADRECON_PEER_GATEWAY_CONCURRENCY`, when set: the peers' `peer.limits.concurrency.gatewayService`.
 * @returns {Record<string, string>}
 */
function gatewayConcurrencyLimit() {
  const value = process.env.ADRECON_PEER_GATEWAY_CONCURRENCY;
  if (value === undefined || value === '') return {};
  if (!/^[1-9][0-9]{0,5}$/.test(value)) {
    throw new Error(`ADRECON_PEER_GATEWAY_CONCURRENCY must be a positive integer, not '${value}'`);
  }
  return { CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE: value };
}

/** @param {Topology} t @param {PeerNode} p */
export function peerEnv(t, p) {
  const tls = (/** @type {string} */ f) => path.join(p.tlsDir, f);
  const bootstrap = p.org.peers.find((other) => other !== p) ?? p;
  return {
    ...baseEnv(),
    FABRIC_CFG_PATH: t.paths.peerConfigDir,
    CORE_PEER_ID: p.host,
    CORE_PEER_LOCALMSPID: p.org.mspId,
    CORE_PEER_MSPCONFIGPATH: p.mspDir,
    CORE_PEER_LISTENADDRESS: `${p.address}:${p.port}`,
    CORE_PEER_ADDRESS: `${p.address}:${p.port}`,
    CORE_PEER_CHAINCODELISTENADDRESS: `${p.address}:${p.chaincodePort}`,
    CORE_PEER_CHAINCODEADDRESS: `${p.address}:${p.chaincodePort}`,
    // Without an external endpoint other organizations never learn of this peer, and the
    // gateway cannot find their endorsers.
    CORE_PEER_GOSSIP_EXTERNALENDPOINT: `${p.address}:${p.port}`,
    CORE_PEER_GOSSIP_BOOTSTRAP: `${bootstrap.address}:${bootstrap.port}`,
    // Peers that join the channel at nearly the same moment miss each other's first anchor-peer
    // dial; the stock 25 s reconnect interval then holds membership back for half a minute.
    // Loopback peers can afford a faster heartbeat.
    CORE_PEER_GOSSIP_RECONNECTINTERVAL: '2s',
    CORE_PEER_GOSSIP_ALIVETIMEINTERVAL: '1s',
    CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT: '5s',
    // A transaction the validator marked invalid (above all DUPLICATE_TXID: the gateway's resend of an envelope
    // that had been ordered after all) has no private data anywhere: the endorsers purged it from their transient
    // stores when the first copy committed. With the stock setting a peer still tries to pull it before committing
    // the block, for pullRetryThreshold (60 s), and every peer of the collection stalls that long; commit-status
    // probes then time out, resend, and make more duplicates (docs/reliability.md). Invalid writes change nothing,
    // so their private data is not worth waiting for.
    CORE_PEER_GOSSIP_PVTDATA_SKIPPULLINGINVALIDTRANSACTIONSDURINGCOMMIT: 'true',
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_CERT_FILE: tls('server.crt'),
    CORE_PEER_TLS_KEY_FILE: tls('server.key'),
    CORE_PEER_TLS_ROOTCERT_FILE: tls('ca.crt'),
    CORE_PEER_FILESYSTEMPATH: path.join(p.dataDir, 'production'),
    CORE_LEDGER_SNAPSHOTS_ROOTDIR: path.join(p.dataDir, 'snapshots'),
    CORE_OPERATIONS_LISTENADDRESS: `${p.address}:${p.operationsPort}`,
    CORE_METRICS_PROVIDER: 'prometheus',
    CORE_PEER_GATEWAY_ENABLED: 'true',
    // A lower limit of concurrent Gateway calls (default 500), for the saturation test: the peer refuses the rest.
    ...gatewayConcurrencyLimit(),
    ...linkLossKeepalive(t, 'peer'),
    CORE_CHAINCODE_EXTERNALBUILDERS: `[{name: ccaas, path: ${builderDir}, propagateEnvironment: [CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG]}]`,
    CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: JSON.stringify({
      ccport: String(p.chaincodeServer.port),
      tlsDir: t.paths.chaincodeTlsDir,
    }),
  };
}

/**
 * Environment for the `peer` CLI acting as an organization's admin against one of its peers.
 * @param {Topology} t @param {PeerNode} p
 */
export function peerAdminEnv(t, p) {
  return {
    ...baseEnv(),
    FABRIC_LOGGING_SPEC: 'WARNING',
    FABRIC_CFG_PATH: t.paths.peerConfigDir,
    CORE_PEER_LOCALMSPID: p.org.mspId,
    CORE_PEER_MSPCONFIGPATH: p.org.adminMspDir,
    CORE_PEER_ADDRESS: `${p.address}:${p.port}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: path.join(p.tlsDir, 'ca.crt'),
    CORE_PEER_TLS_CLIENTAUTHREQUIRED: 'false',
  };
}

/** Flags every `peer` CLI call that talks to the orderer needs. @param {Topology} t */
export function ordererFlags(t) {
  const o = t.orderers[0];
  if (!o) throw new Error('no orderer');
  return [
    '-o',
    `${o.address}:${o.port}`,
    '--ordererTLSHostnameOverride',
    o.host,
    '--tls',
    '--cafile',
    t.ordererOrg.tlsCaFile,
  ];
}

/** @param {Organization} org */
export function chaincodeServerEnv(org) {
  return { ...baseEnv(), CHAINCODE_SERVER_ORG: org.mspId };
}
