import os from 'node:os';
import { partyCollectionName } from '@adrecon/contract';
import { uniqueId } from '../test/support/campaign-fixtures';
import { connectParties } from '../test/support/fabric-connection';
import { mspOf, type NetworkProfile } from '../test/support/network-profile';
import { formatResult, runLoad, type LoadResult } from './load';
import { cpuSince, formatCpu, networkCpu } from './network-cpu';

/** Keys per transaction of the per-key rows, and their transactions (at {@link KEY_CONCURRENCY} in flight). */
const KEYS_PER_TX = 100;
const KEY_TXS = 40;
const KEY_CONCURRENCY = 4;
/** Sizes of a pointer's value and of a private record's bytes, as the chaincode writes them (about). */
const POINTER_BYTES = 150;
const RECORD_BYTES = 600;

/** A load's network CPU per transaction, in ms: in all, and the peers' share. */
interface Measured {
  readonly load: LoadResult;
  readonly cpuPerTx: number;
  readonly peerCpuPerTx: number;
}

async function measured(label: string, concurrency: number, count: number, op: (i: number) => Promise<unknown>) {
  const before = networkCpu();
  const load = await runLoad(label, concurrency, count, async (i) => {
    await op(i);
  });
  const cpu = cpuSince(before, load.count - load.failures);
  console.log(`${formatResult(load)}\n   ${formatCpu(cpu)}`);
  return { load, cpuPerTx: cpu.total, peerCpuPerTx: cpu.peer } satisfies Measured;
}

/**
 * 8. The platform's floor (issues 8 and 13): what the network itself spends per key a transaction writes, with the
 * bench contract's elementary functions (`bench-contract.cjs`), and the least a delivery report could cost under
 * the trust rules, side by side with the trivial write. Every transaction is endorsed by the same three
 * organizations (a line item's parties) and waits for its commit; every key is new. From the per-key costs it prints
 * the ceilings they set on this machine's cores: reports per second for a report that writes k keys, whatever else
 * it does, and the best ratio to the trivial write that a report writing its own private record can reach.
 */
export async function runFloorBench(profile: NetworkProfile, levels: readonly number[], perLevel: number) {
  const conns = connectParties(profile);
  const parties = (['ADVERTISER', 'AGENCY', 'PUBLISHER'] as const).map((role) => mspOf(profile, role));
  const orgsJson = JSON.stringify(parties);
  const collection = partyCollectionName(parties);
  const contract = conns.publisher.contract;
  const submit = (name: string, args: readonly string[]) =>
    contract.submit(name, { arguments: [...args], endorsingOrganizations: parties });
  const run = uniqueId('f');
  const cores = os.cpus().length;
  try {
    console.log(
      `\n8. the platform's floor: network CPU per key written and the least a report could cost (${String(cores)} cores; ` +
        `every transaction endorsed by ${parties.join(', ')} and committed; new keys)`,
    );
    const one = await measured('one public key per transaction (bench:Put)', KEY_CONCURRENCY, KEY_TXS, (i) =>
      submit('bench:Put', [`${run}-o${String(i)}`, 'x']),
    );
    const perKey = async (label: string, name: string, args: (i: number) => string[]) => {
      const m = await measured(`${label}, ${String(KEYS_PER_TX)} per transaction`, KEY_CONCURRENCY, KEY_TXS, (i) =>
        submit(name, args(i)),
      );
      const ms = (m.cpuPerTx - one.cpuPerTx) / KEYS_PER_TX;
      const peers = (m.peerCpuPerTx - one.peerCpuPerTx) / KEYS_PER_TX;
      console.log(
        `   per key, beyond the transaction's own cost: ${ms.toFixed(2)} ms, of which the peers' ${peers.toFixed(2)} ms ` +
          `(what is left if no message between chaincode and peer cost anything)`,
      );
      return { ms, peers };
    };
    const count = String(KEYS_PER_TX);
    const blind = await perKey('blind public writes (bench:PutMany)', 'bench:PutMany', (i) => [
      `${run}-b${String(i)}`,
      count,
      String(POINTER_BYTES),
    ]);
    const pointer = await perKey(
      'pointers: read as absent, write, key-level policy (bench:PointerMany)',
      'bench:PointerMany',
      (i) => [`${run}-p${String(i)}`, count, String(POINTER_BYTES), orgsJson],
    );
    const record = await perKey(
      'private records: value, public marker, key-level policy (bench:PrivateMany)',
      'bench:PrivateMany',
      (i) => [collection, `${run}-v${String(i)}`, count, String(RECORD_BYTES), orgsJson],
    );
    const ceiling = (msPerReport: number) => Math.floor((cores * 1000) / msPerReport).toLocaleString('en-US');
    const ceilings = (share: 'ms' | 'peers') =>
      `a report that writes one blind key ≤ ${ceiling(blind[share])} reports/s; one pointer ≤ ${ceiling(pointer[share])}; ` +
      `one private record ≤ ${ceiling(record[share])}; a pointer and one private record ≤ ` +
      ceiling(pointer[share] + record[share]);
    console.log(
      `   ceilings on ${String(cores)} cores, even in batches (the transaction's own cost shared by the batch): ` +
        `${ceilings('ms')}\n   the peers' share alone: ${ceilings('peers')}`,
    );

    const campaignKey = `${run}-campaign`;
    await submit('bench:SeedRecord', [collection, campaignKey, String(RECORD_BYTES), orgsJson]);
    for (const c of levels) {
      const trivial = await measured('trivial write (bench:Put)', c, perLevel, (i) =>
        submit('bench:Put', [`${run}-t${String(c)}-${String(i)}`, 'x']),
      );
      const minimal = await measured(
        'the least report: read the campaign (marker, private value), write one private record (bench:MinimalReport)',
        c,
        perLevel,
        (i) =>
          submit('bench:MinimalReport', [
            collection,
            campaignKey,
            `${run}-m${String(c)}-${String(i)}`,
            String(RECORD_BYTES),
            orgsJson,
          ]),
      );
      const bare = await measured(
        'one private value alone, no marker and no policy (bench:PrivateOnly, below the trust rules)',
        c,
        perLevel,
        (i) => submit('bench:PrivateOnly', [collection, `${run}-v${String(c)}-${String(i)}`, String(RECORD_BYTES)]),
      );
      const ratio = (m: Measured) =>
        `${(m.load.perSecond / trivial.load.perSecond).toFixed(2)} (network CPU ${(trivial.cpuPerTx / m.cpuPerTx).toFixed(2)})`;
      console.log(
        `   ratios to the trivial write at concurrency ${String(c)}: the least report ${ratio(minimal)}; ` +
          `a private value alone ${ratio(bare)}`,
      );
    }
  } finally {
    conns.close();
  }
}
