#!/usr/bin/env node
// Hyperledger Caliper's manager and worker, launched as its CLI does (`caliper launch manager|worker`), against
// caliper-core and caliper-fabric 0.7.1: the 0.7 line has no CLI package, and the 0.6 CLI's connector cannot name
// endorsing organizations (docs/benchmarks.md, "Hyperledger Caliper"). The manager forks this same file with
// `launch worker` and the same options, so it must keep that argument shape. Configuration comes from Caliper's own
// options (`--caliper-benchconfig`, `--caliper-networkconfig`, `--caliper-workspace`, … or `CALIPER_*` variables).
'use strict';

process.env.SUPPRESS_NO_CONFIG_WARNING = 'true';
const {
  CaliperEngine,
  CaliperUtils,
  ConfigUtil,
  Constants,
  WorkerMessageHandler,
} = require('@hyperledger/caliper-core');

const logger = CaliperUtils.getLogger('adrecon-caliper');

/** The peer-gateway connector (caliper-fabric), as `caliper.blockchain: fabric` names it. */
function connectorFactory() {
  const networkConfig = CaliperUtils.parseYaml(CaliperUtils.resolvePath(ConfigUtil.get(ConfigUtil.keys.NetworkConfig)));
  return CaliperUtils.loadModuleFunction(
    CaliperUtils.getBuiltinConnectorPackageNames(),
    networkConfig.caliper.blockchain,
    Constants.Factories.Connector,
    require,
  );
}

async function manager() {
  CaliperUtils.assertConfigurationFilePaths();
  const benchmarkConfig = CaliperUtils.parseYaml(CaliperUtils.resolvePath(ConfigUtil.get(ConfigUtil.keys.BenchConfig)));
  const networkConfig = CaliperUtils.parseYaml(CaliperUtils.resolvePath(ConfigUtil.get(ConfigUtil.keys.NetworkConfig)));
  const engine = new CaliperEngine(benchmarkConfig, networkConfig, connectorFactory());
  const code = await engine.run();
  if (code !== 0) throw new Error(`Caliper's benchmark failed with code ${String(code)}`);
  logger.info('Benchmark successfully finished');
}

async function worker() {
  CaliperUtils.assertConfigurationFilePaths();
  if (!CaliperUtils.isForkedProcess()) throw new Error('a local worker must be forked by the manager');
  const messengerFactory = CaliperUtils.loadModuleFunction(
    CaliperUtils.getBuiltinMessengers(),
    ConfigUtil.get(ConfigUtil.keys.Worker.Communication.Method),
    Constants.Factories.WorkerMessenger,
    require,
  );
  const messenger = messengerFactory({});
  const handler = new WorkerMessageHandler(messenger, connectorFactory());
  await messenger.initialize();
  await messenger.configureProcessInstances([process]);
  await handler.waitForExit();
  await messenger.dispose();
}

const [command, role] = process.argv.slice(2);
if (command !== 'launch' || (role !== 'manager' && role !== 'worker')) {
  console.error(
    'Usage: node caliper/caliper.cjs launch manager|worker --caliper-benchconfig FILE --caliper-networkconfig FILE',
  );
  process.exit(2);
}
// Both exit explicitly: gRPC channels and Caliper's timers would otherwise keep a finished process alive.
(role === 'manager' ? manager() : worker()).then(
  () => process.exit(0),
  (err) => {
    logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
