#!/usr/bin/env node
// @ts-check
// One entry point for the network's life cycle; the *.sh scripts beside it call this.
import { down, status, up } from './lib/network.mjs';
import { loadTopology } from './lib/topology.mjs';

const USAGE = `Usage: fabric-network.mjs <command> [options]
  up                 start orderers and peers, create and join the channel, wait for gossip
  down [--clean]     stop every process we recorded; --clean also removes ledgers, crypto and logs
  status [--quiet]   show each node; exit 0 only when every orderer and peer is up
  deploy             build, package, install, approve and commit the chaincode; start its servers`;

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const flags = new Set(rest);
  const known = { up: [], down: ['--clean'], status: ['--quiet'], deploy: [] };
  if (!command || command === '-h' || command === '--help') {
    console.log(USAGE);
    return 0;
  }
  if (!(command in known)) {
    console.error(`unknown command '${command}'\n${USAGE}`);
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
    case 'deploy': {
      const { deploy } = await import('./lib/deploy.mjs');
      await deploy(topology);
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
