import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, runDir } from '../test/support/network-profile';
import { runScript } from '../test/support/network-scripts';

/**
 * Runs `body` while the network serves the real chaincode plus the `bench` contract (`bench-contract.cjs`): its
 * `Put` writes a single key, the trivial write that delivery reports are compared with, in the same run on the same
 * network, and its other functions do the ledger's elementary work for section 8. The original chaincode is deployed again afterwards (next sequence).
 */
export async function withBenchContract<T>(body: () => Promise<T>): Promise<T> {
  const chaincodeDir = path.join(repoRoot, 'chaincode');
  const variantDir = path.join(runDir, 'chaincode-bench');
  fs.rmSync(variantDir, { recursive: true, force: true });
  fs.mkdirSync(variantDir, { recursive: true });
  fs.copyFileSync(path.join(chaincodeDir, 'package.json'), path.join(variantDir, 'package.json'));
  fs.cpSync(path.join(chaincodeDir, 'dist', 'src'), path.join(variantDir, 'dist', 'src'), { recursive: true });
  fs.copyFileSync(
    path.join(repoRoot, 'integration', 'bench', 'bench-contract.cjs'),
    path.join(variantDir, 'dist', 'src', 'bench-contract.js'),
  );
  fs.appendFileSync(
    path.join(variantDir, 'dist', 'src', 'index.js'),
    "\nmodule.exports.contracts = [...module.exports.contracts, require('./bench-contract.js')];\n",
  );
  console.log('deploying the chaincode with the bench contract…');
  await runScript('deploy-chaincode.sh', [], { ADRECON_CHAINCODE_DIR: variantDir });
  try {
    return await body();
  } finally {
    console.log('restoring the chaincode…');
    await runScript('deploy-chaincode.sh');
    fs.rmSync(variantDir, { recursive: true, force: true });
  }
}
