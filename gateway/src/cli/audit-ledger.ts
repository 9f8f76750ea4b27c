import { formatAuditReport, agrees } from '../audit/audit-report';
import { auditLedgers } from '../audit/ledger-audit';
import { connectPeerLedger, type ClosablePeerLedger } from '../audit/qscc-peer-ledger';
import { loadConfig } from '../config';
import { loadNetworkProfile } from '../ledger/network-profile';

/** Exit codes: 0 all peers agree, 1 a peer's copy is wrong or differs, 2 the audit could not run. */
async function run(): Promise<number> {
  const config = loadConfig();
  const profile = loadNetworkProfile(config.networkProfilePath);
  const ledgers: ClosablePeerLedger[] = profile.organizations.flatMap((organization) =>
    organization.peers.map((peer) =>
      connectPeerLedger({ channel: profile.channel, organization, peer, timeoutMs: config.timeouts.evaluateMs }),
    ),
  );
  try {
    const result = await auditLedgers(ledgers);
    process.stdout.write(formatAuditReport(result));
    return agrees(result) ? 0 : 1;
  } finally {
    for (const ledger of ledgers) ledger.close();
  }
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`audit: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
