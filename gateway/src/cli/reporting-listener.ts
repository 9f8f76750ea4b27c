import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config';
import { loadGatewayProfile } from '../ledger/gateway-profile';
import { startOrganizationReporting } from '../reporting/organization-reporting';
import { REPORTING_LIMITS } from '../reporting/report-limits';

/**
 * The reporting listener alone, without the REST API (`node gateway/dist/src/cli/reporting-listener.js`): follows
 * the organization's peer into its reporting store (the gateway's configuration: ADRECON_GATEWAY_PROFILE,
 * ADRECON_REPORTING_DIR or ADRECON_REPORTING_DATABASE_URL) and prints its status as one JSON line every
 * ADRECON_LISTENER_STATUS_MS (default 500 ms) until SIGTERM or SIGINT. Used to rebuild a store and by the
 * crash-recovery test.
 */
async function run(): Promise<void> {
  const config = loadConfig();
  if (config.gatewayProfilePath === undefined) {
    throw new ConfigError('set ADRECON_GATEWAY_PROFILE to the organization’s gateway profile');
  }
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const gatewayProfile = loadGatewayProfile(config.gatewayProfilePath);
  const reporting = startOrganizationReporting(config, gatewayProfile, logger);
  await reporting.ready(REPORTING_LIMITS.openWaitMs * 4);
  const every = Number(process.env.ADRECON_LISTENER_STATUS_MS ?? '500');
  const timer = setInterval(() => {
    const status = reporting.status();
    if (status === undefined) return;
    process.stdout.write(
      `${JSON.stringify({
        checkpoint: status.checkpoint?.toString() ?? null,
        peerHeight: status.peerHeight?.toString() ?? null,
        lagBlocks: status.lagBlocks ?? null,
        rowsApplied: status.rowsApplied,
        applyMs: status.applyMs,
        lastError: status.lastError ?? null,
      })}\n`,
    );
  }, every);
  const stop = (): void => {
    clearInterval(timer);
    void reporting.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

run().catch((err: unknown) => {
  process.stderr.write(`reporting-listener: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
