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
                     recorded process of ours that died, unless our scripts or a test hold it down
  user-add <organization> <enrollment-id> [operations|finance|admin]
                     register and enroll a user at the organization's own CA (without a role: read only) and
                     print its MSP ID, enrollment ID and certificate and key paths as JSON
  add-org <Name> <ADVERTISER|AGENCY|PUBLISHER> [--port <base>] [--instance <id>] [--state-dir <dir>] [--no-gateway]
          [--json]
                     a new organization joins the running channel: its CA, identities and peer, a channel
                     configuration update signed by a majority of the existing admins, the peer's join, the
                     chaincode defined again (next sequence) and approved by every organization, its own role
                     registration on the ledger, its chaincode server and its REST gateway (port and instance as
                     for gateways); nothing running is restarted. Recorded in the run folder (down --clean forgets it)
  netns-cut <organization|orderer>
  netns-heal <organization|orderer>
                     (a network run with namespaces) cut an organization's namespace off the others, its veth link
                     down as a host losing its network, or connect it again
  user-revoke <organization> <enrollment-id>
                     revoke the user at its organization's CA and publish the CRL in the organization's channel
                     MSP (a channel configuration update signed by the organization's admin)`;

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
  if (command === 'user-add' || command === 'user-revoke') return userCommand(command, rest);
  if (command === 'add-org') return addOrgCommand(rest);
  if (command === 'netns-cut' || command === 'netns-heal') return namespaceCommand(command, rest);
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

/** @param {string | undefined} instance */
function validInstance(instance) {
  if (instance !== undefined && !/^[a-z0-9][a-z0-9-]{0,30}$/.test(instance)) {
    throw new Error('--instance must match [a-z0-9][a-z0-9-]{0,30}');
  }
  return instance;
}

/** @param {string[]} args */
async function addOrgCommand(args) {
  const positional = args.filter(
    (a, i) => !a.startsWith('--') && !['--port', '--instance', '--state-dir'].includes(args[i - 1] ?? ''),
  );
  const { flags, values } = parseArgs(
    args.filter((a) => !positional.includes(a)),
    ['--port', '--instance', '--state-dir'],
  );
  const [name, role] = positional;
  const unknown = [...flags].filter((f) => !['--no-gateway', '--json'].includes(f));
  if (name === undefined || role === undefined || positional.length > 2 || unknown.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const stateDir = values.get('--state-dir');
  const gateway = flags.has('--no-gateway')
    ? undefined
    : {
        portBase: portBase(values.get('--port') ?? process.env.PORT),
        instance: validInstance(values.get('--instance')),
        stateRoot: stateDir === undefined ? undefined : path.resolve(stateDir),
      };
  const { addOrganization } = await import('./lib/add-organization.mjs');
  const result = await addOrganization(loadTopology(), { name, role, gateway });
  if (flags.has('--json')) console.log(JSON.stringify(result));
  else if (result.gateway)
    console.log(`REST gateway of ${result.mspId}: ${result.gateway.url} (pid ${result.gateway.pid})`);
  return 0;
}

/** @param {'netns-cut' | 'netns-heal'} command @param {string[]} args */
async function namespaceCommand(command, args) {
  const [key, ...extra] = args;
  if (key === undefined || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const { setConnected } = await import('./lib/namespaces.mjs');
  const space = setConnected(loadTopology(), key, command === 'netns-heal');
  console.log(`${space.name} (${space.address}): link ${space.link} ${command === 'netns-heal' ? 'up' : 'down'}`);
  return 0;
}

/** @param {'user-add' | 'user-revoke'} command @param {string[]} args */
async function userCommand(command, args) {
  const [orgName, id, role] = args;
  if (orgName === undefined || id === undefined || (command === 'user-revoke' && role !== undefined)) {
    console.error(USAGE);
    return 2;
  }
  const topology = loadTopology();
  const { organizationNamed, enrollUser } = await import('./lib/users.mjs');
  const org = organizationNamed(topology, orgName);
  if (command === 'user-add') {
    console.log(JSON.stringify(await enrollUser(org, id, role)));
    return 0;
  }
  const { revokeUser } = await import('./lib/revocation.mjs');
  console.log(JSON.stringify(await revokeUser(topology, org, id)));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`\nERROR: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
