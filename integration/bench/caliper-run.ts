/**
 * `npm run bench:caliper`: Hyperledger Caliper against the running network, side by side with our own raw client
 * (integration/bench/caliper-bench.ts). Environment: ADRECON_BENCH_CONCURRENCY (the first value: transactions in
 * flight, default 10), ADRECON_BENCH_COUNT (transactions per write round, default 300), ADRECON_CALIPER_READS
 * (evaluations in the read round, default 1000).
 */
import { withBenchContract } from './bench-chaincode';
import { runCaliperBench } from './caliper-bench';
import { loadProfile } from '../test/support/network-profile';

const concurrency = Number((process.env.ADRECON_BENCH_CONCURRENCY ?? '10').split(',')[0]);
const writes = Number(process.env.ADRECON_BENCH_COUNT ?? '300');
const reads = Number(process.env.ADRECON_CALIPER_READS ?? '1000');

withBenchContract(() => runCaliperBench(loadProfile(), { concurrency, writes, reads })).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
