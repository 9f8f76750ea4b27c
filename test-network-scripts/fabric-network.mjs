#!/usr/bin/env node
// @ts-check
// One entry point for the network's life cycle; the *.sh scripts beside it call this.
import path from 'node:path';
import { down, status, up } from './lib/network.mjs';
import { loadTopology } from './lib/topology.mjs';

const USAGE = `Usage: fabric-network.mjs <command> [options]
  up                 start orderers and peers, create and join the channel, wait for gossip
  down [--clean]     stop every process we recorded; --clean also removes ledgers, crypto and logs
  status [--quiet]   show each node; exit 0 only when every orderer and peer is up
  deploy             build, package, install, approve and commit the chaincode; start its servers
  gateways [--port <base>] [--instance <id>] [--state-dir <dir>] [--json]
                     start one REST gateway per organization (organization k on base + k; base from PORT,
                     default 3000), wait until each is ready and print their URLs (--json: as JSON);
                     --instance and --state-dir run a separate set with its own keys (the tests do)
  gateways-stop [--instance <id>]
                     stop the REST gateways (of one instance) by recorded PID
  supervise          run the supervisor in the foreground (network:up starts it in the background): restart any
                     recorded process of ours that died, unless our scripts or a test hold it down`;

/**
 * Splits `--name value` options from flags. @param {string[]} args @param {string[]} valued
 * @returns {{ flags: Set<string>, values: Map<string, string> }}
 */
function parseArgs(args, valued) {
  const flags = new Set();
  const values = new Map();
  for (let i = 0; i < args.length; i++) {
    const arg = String(args[i]);
    if (valued.includes(arg)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
      values.set(arg, value);
      i++;
    } else flags.add(arg);
  }
  return { flags, values };
}

/** @param {string | undefined} text */
function portBase(text) {
  const base = Number(text ?? 3000);
  if (!Number.isInteger(base) || base < 1 || base > 65000) throw new Error(`invalid REST port base '${text}'`);
  return base;
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { flags, values } = parseArgs(rest, ['--port', '--instance', '--state-dir']);
  const known = {
    up: [],
    down: ['--clean'],
    status: ['--quiet'],
    deploy: [],
    gateways: ['--json'],
    'gateways-stop': [],
    supervise: [],
  };
  if (!command || command === '-h' || command === '--help') {
    console.log(USAGE);
    return 0;
  }
  if (!(command in known)) {
    console.error(`unknown command '${command}'\n${USAGE}`);
    return 2;
  }
  const valuedFor = { gateways: ['--port', '--instance', '--state-dir'], 'gateways-stop': ['--instance'] };
  for (const v of values.keys()) {
    if (!(valuedFor[/** @type {keyof typeof valuedFor} */ (command)] ?? []).includes(v)) {
      console.error(`unknown option '${v}' for ${command}\n${USAGE}`);
      return 2;
    }
  }
  const instance = values.get('--instance');
  if (instance !== undefined && !/^[a-z0-9][a-z0-9-]{0,30}$/.test(instance)) {
    console.error(`--instance must match [a-z0-9][a-z0-9-]{0,30}`);
    return 2;
  }
  for (const f of flags) {
    if (!known[/** @type {keyof typeof known} */ (command)].includes(f)) {
      console.error(`unknown option '${f}' for ${command}\n${USAGE}`);
      return 2;
    }
  }
  const topology = loadTopology();
  switch (command) {
    case 'up':
      await up(topology);
      return 0;
    case 'down':
      await down(topology, { clean: flags.has('--clean') });
      return 0;
    case 'status':
      return (await status(topology, { quiet: flags.has('--quiet') })) ? 0 : 1;
    case 'supervise': {
      const { supervise } = await import('./lib/supervisor.mjs');
      await supervise(topology);
      return 0;
    }
    case 'deploy': {
      const { deploy } = await import('./lib/deploy.mjs');
      await deploy(topology);
      return 0;
    }
    case 'gateways': {
      const { startGateways } = await import('./lib/gateways.mjs');
      const stateDir = values.get('--state-dir');
      const gateways = await startGateways(topology, {
        portBase: portBase(values.get('--port') ?? process.env.PORT),
        instance: values.get('--instance'),
        stateRoot: stateDir === undefined ? undefined : path.resolve(stateDir),
      });
      if (flags.has('--json')) console.log(JSON.stringify(gateways));
      else {
        console.log('REST API, one process per organization (each holds only its own identity and keys):');
        for (const g of gateways) {
          console.log(
            `  ${g.mspId.padEnd(16)} ${g.url.padEnd(24)} pid ${String(g.pid).padEnd(8)} keys ${path.relative(process.cwd(), g.credentialsFile)}`,
          );
        }
        console.log('Logs: network/run/logs/gateway-*.log. npm stop stops them with the network.');
      }
      return 0;
    }
    case 'gateways-stop': {
      const { stopGateways } = await import('./lib/gateways.mjs');
      await stopGateways(topology, values.get('--instance'));
      return 0;
    }
  }
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`\nERROR: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
