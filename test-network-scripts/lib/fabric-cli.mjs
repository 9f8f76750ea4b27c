// @ts-check
// Runs Fabric's command-line tools from .fabric/bin and turns a failure into an error that quotes
// what the tool said.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fabricBinDir } from './topology.mjs';

export class CommandError extends Error {
  /** @param {string} message @param {string} stdout @param {string} stderr */
  constructor(message, stdout, stderr) {
    super(message);
    this.name = 'CommandError';
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/**
 * @param {'peer' | 'orderer' | 'configtxgen' | 'configtxlator' | 'osnadmin' | 'fabric-ca-client'} tool
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export function fabric(tool, args, options = {}) {
  const bin = path.join(fabricBinDir, tool);
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 60000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) {
          const said = (stderr || stdout).trim().split('\n').slice(-8).join('\n');
          reject(
            new CommandError(`${tool} ${args.slice(0, 3).join(' ')} failed: ${said || err.message}`, stdout, stderr),
          );
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}
