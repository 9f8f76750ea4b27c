import { expect } from 'chai';
import { Registry } from 'prom-client';
import { registerReportingMetrics } from '../../../src/reporting/reporting-metrics';
import type { Reporting } from '../../../src/reporting/reporting-service';

describe('reporting metrics on /metrics', () => {
  it("exposes the listener's lag, checkpoint, peer height, rows and apply time; nothing while the store opens", async () => {
    let status: ReturnType<Reporting['status']> = undefined;
    const registry = new Registry();
    registerReportingMetrics(registry, { status: () => status });
    const opening = await registry.metrics();
    expect(opening).to.include('# TYPE adrecon_reporting_lag_blocks gauge');
    expect(opening).to.not.match(/^adrecon_reporting_lag_blocks/m);
    status = {
      backend: 'embedded',
      checkpoint: 41n,
      peerHeight: 45n,
      lagBlocks: 3,
      rowsApplied: 1200,
      applyMs: 2500,
      lastError: undefined,
    };
    const text = await registry.metrics();
    expect(text).to.match(/^adrecon_reporting_lag_blocks{backend="embedded"} 3$/m);
    expect(text).to.match(/^adrecon_reporting_checkpoint_block{backend="embedded"} 41$/m);
    expect(text).to.match(/^adrecon_reporting_peer_height{backend="embedded"} 45$/m);
    expect(text).to.match(/^adrecon_reporting_rows_applied{backend="embedded"} 1200$/m);
    expect(text).to.match(/^adrecon_reporting_apply_seconds{backend="embedded"} 2.5$/m);
  });
});
