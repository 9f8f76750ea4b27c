import type { AuditResult } from './ledger-audit';

/** True when every peer's copy verified and all copies are the same up to the lowest height. */
export function agrees(result: Readonly<AuditResult>): boolean {
  return result.differences.length === 0;
}

/**
 * The audit's outcome as text for an operator: "all N peers agree up to block H", or the first block where a
 * named peer differs and how, followed by each peer's height.
 */
export function formatAuditReport(result: Readonly<AuditResult>): string {
  const n = result.peers.length;
  const lines: string[] = [];
  if (agrees(result)) {
    lines.push(
      result.agreedThrough < 0n
        ? `all ${String(n)} peers agree: no blocks to compare`
        : `all ${String(n)} peers agree up to block ${String(result.agreedThrough)}`,
    );
  } else {
    for (const d of result.differences) {
      lines.push(`${d.peer} (${d.mspId}) differs at block ${String(d.block)}: ${d.kind}: ${d.detail}`);
    }
    lines.push(
      result.agreedThrough < 0n
        ? 'no block is the same on every peer'
        : `all ${String(n)} peers agree up to block ${String(result.agreedThrough)}`,
    );
  }
  const compared = result.agreedThrough + 1n;
  for (const p of result.peers) {
    const beyond = agrees(result) && p.height > compared ? ' (later blocks not compared: other peers lack them)' : '';
    lines.push(`  ${p.peer} (${p.mspId}): height ${String(p.height)}${beyond}`);
  }
  return `${lines.join('\n')}\n`;
}
