import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, runDir } from '../test/support/network-profile';
import { runScript } from '../test/support/network-scripts';

/**
 * Runs `body` while the network serves the real chaincode plus one `bench` contract whose `Put`
 * writes a single key: the trivial write that delivery reports are compared with, in the same run
 * on the same network. The original chaincode is deployed again afterwards (next sequence).
 */
export async function withBenchContract<T>(body: () => Promise<T>): Promise<T> {
  const chaincodeDir = path.join(repoRoot, 'chaincode');
  const variantDir = path.join(runDir, 'chaincode-bench');
  fs.rmSync(variantDir, { recursive: true, force: true });
  fs.mkdirSync(variantDir, { recursive: true });
  fs.copyFileSync(path.join(chaincodeDir, 'package.json'), path.join(variantDir, 'package.json'));
  fs.cpSync(path.join(chaincodeDir, 'dist', 'src'), path.join(variantDir, 'dist', 'src'), { recursive: true });
  fs.appendFileSync(
    path.join(variantDir, 'dist', 'src', 'index.js'),
    [
      '',
      "class BenchContract extends require('fabric-contract-api').Contract {",
      "  constructor() { super('bench'); }",
      '  async Put(ctx, key, value) {',
      "    await ctx.stub.putState(ctx.stub.createCompositeKey('bench', [key]), Buffer.from(value));",
      '  }',
      '}',
      'module.exports.contracts = [...module.exports.contracts, BenchContract];',
      '',
    ].join('\n'),
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
