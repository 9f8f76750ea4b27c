/** Latencies of one load run, and throughput over its wall time. */
export interface LoadResult {
  label: string;
  concurrency: number;
  count: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

/**
 * Runs `count` operations with `concurrency` workers pulling from one counter, so exactly `count`
 * operations run whatever their speed. Failures are counted, not retried.
 */
export async function runLoad(
  label: string,
  concurrency: number,
  count: number,
  operation: (index: number) => Promise<void>,
): Promise<LoadResult> {
  let next = 0;
  let failures = 0;
  let firstError: unknown;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const t0 = process.hrtime.bigint();
      try {
        await operation(index);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (err) {
        failures++;
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (firstError !== undefined) {
    console.error(
      `  ${label}: ${String(failures)} failures; first: ${firstError instanceof Error ? firstError.message : JSON.stringify(firstError)}`,
    );
  }
  latencies.sort((a, b) => a - b);
  return {
    label,
    concurrency,
    count,
    failures,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
  };
}

export function formatResult(r: LoadResult): string {
  return (
    `${r.label.padEnd(34)} c=${String(r.concurrency).padStart(3)}  n=${String(r.count).padStart(5)}  ` +
    `${r.perSecond.toFixed(1).padStart(7)} tx/s  p50 ${r.p50Ms.toFixed(0).padStart(5)} ms  p95 ${r.p95Ms.toFixed(0).padStart(5)} ms` +
    (r.failures ? `  failures ${String(r.failures)}` : '')
  );
}
