import { pino } from 'pino';
import { loadConfig } from './config';
import { assertSupportedNode } from './node-version';
import { startGatewayServer } from './server';

async function main(): Promise<void> {
  assertSupportedNode();
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const gateway = await startGatewayServer(config, logger);
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    void gateway.stop();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

main().catch((err: unknown) => {
  process.stderr.write(`adrecon gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
