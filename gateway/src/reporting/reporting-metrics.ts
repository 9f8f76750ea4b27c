import { Gauge, type Registry } from 'prom-client';
import type { Reporting } from './reporting-service';

/**
 * Adds the reporting listener's gauges to the gateway's `/metrics`, read from its status at each scrape: the store's
 * lag behind the peer (blocks), its checkpoint and the peer's height, the report rows applied and the time spent
 * applying them since start (rows/s over any window = Δrows / Δseconds), labelled with the store's backend. A gauge
 * has no sample while the store opens.
 */
export function registerReportingMetrics(registry: Registry, reporting: Pick<Reporting, 'status'>): void {
  const gauge = (name: string, help: string, pick: (s: NonNullable<ReturnType<Reporting['status']>>) => unknown) =>
    new Gauge({
      name,
      help,
      labelNames: ['backend'],
      registers: [registry],
      collect() {
        this.reset();
        const status = reporting.status();
        const value = status === undefined ? undefined : pick(status);
        if (typeof value === 'number' || typeof value === 'bigint')
          this.set({ backend: status?.backend ?? '' }, Number(value));
      },
    });
  gauge(
    'adrecon_reporting_lag_blocks',
    "Blocks the reporting store is behind the organization's peer",
    (s) => s.lagBlocks,
  );
  gauge('adrecon_reporting_checkpoint_block', 'Last block applied to the reporting store', (s) => s.checkpoint);
  gauge('adrecon_reporting_peer_height', "The organization's peer's last known height", (s) => s.peerHeight);
  gauge(
    'adrecon_reporting_rows_applied',
    'Report rows re-read and applied since the listener started',
    (s) => s.rowsApplied,
  );
  gauge(
    'adrecon_reporting_apply_seconds',
    'Time the listener spent re-reading and applying since it started',
    (s) => s.applyMs / 1000,
  );
}
