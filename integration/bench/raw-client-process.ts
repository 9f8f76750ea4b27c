import { fork } from 'node:child_process';
import { connectAs } from '../test/support/fabric-connection';
import { loadProfile } from '../test/support/network-profile';
import { submitConfidential } from '../test/support/confidential-submit';
import { runLoad, type LoadResult } from './load';

/** One load a raw-client process runs: prepared transactions, submitted by one organization's Gateway client. */
export interface RawLoad {
  readonly label: string;
  /** The submitting organization (MSP ID). */
  readonly mspId: string;
  /** The transaction's name, e.g. `delivery:SubmitBatch`. */
  readonly transaction: string;
  /**
   * `submit`: arguments as they are; `submitConfidential`: inputs in transient data with a sealed response, as the
   * REST gateway sends every write since issue 8; `evaluate`: a read, on the organization's peer.
   */
  readonly kind: 'submit' | 'submitConfidential' | 'evaluate';
  readonly concurrency: number;
  /** The arguments of each transaction; as many transactions run as there are entries. */
  readonly argumentLists: readonly (readonly string[])[];
}

const CHILD_FLAG = '--adrecon-raw-client';

/**
 * Runs `load` through the raw Fabric Gateway client in a process of its own (this file, forked), as the REST gateway
 * runs in its own process: REST and raw then compare like with like, neither sharing the bench's event loop. Every
 * write waits for its commit. The child connects with the running network's profile and exits when done.
 */
export function runRawLoadInProcess(load: Readonly<RawLoad>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [CHILD_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.on('message', (message: { result?: LoadResult; error?: string }) => {
      if (message.error !== undefined) reject(new Error(`raw-client process: ${message.error}`));
      result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`raw-client process exited with code ${String(code)} and no result`));
    });
    child.send(load);
  });
}

async function childMain(load: RawLoad): Promise<LoadResult> {
  const conn = connectAs(loadProfile(), load.mspId);
  try {
    return await runLoad(load.label, load.concurrency, load.argumentLists.length, async (i) => {
      const args = load.argumentLists[i] ?? [];
      if (load.kind === 'submitConfidential') await submitConfidential(conn.contract, load.transaction, args);
      else if (load.kind === 'evaluate') await conn.contract.evaluateTransaction(load.transaction, ...args);
      else await conn.contract.submitTransaction(load.transaction, ...args);
    });
  } finally {
    conn.close();
  }
}

if (process.argv.includes(CHILD_FLAG)) {
  process.once('message', (load: RawLoad) => {
    childMain(load)
      .then((result) => {
        process.send?.({ result });
      })
      .catch((err: unknown) => {
        process.send?.({ error: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => {
        process.disconnect();
      });
  });
}
