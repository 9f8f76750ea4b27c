import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../src/config';
import { assertSupportedNode, MINIMUM_NODE_VERSION } from '../../src/node-version';

describe('Node.js version check at start', () => {
  it('accepts the required version and newer, refuses older with a clear message', () => {
    expect(() => {
      assertSupportedNode('20.19.0');
    }).to.not.throw();
    expect(() => {
      assertSupportedNode('22.1.0');
    }).to.not.throw();
    expect(() => {
      assertSupportedNode('20.18.3');
    }).to.throw('Node.js 20.18.3 is too old: adrecon needs Node.js >= 20.19');
    expect(() => {
      assertSupportedNode('18.20.0');
    }).to.throw('too old');
  });

  it('requires what the root package.json declares, and every installed dependency accepts that Node', () => {
    const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(root.engines.node).to.equal(`>=${MINIMUM_NODE_VERSION.join('.')}`);
    // The package the gateway resolves (npm may nest it under gateway/node_modules).
    let dir = path.dirname(require.resolve('@hyperledger/fabric-gateway'));
    while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
    const gateway = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      version: string;
      engines?: { node?: string };
    };
    const declared = /^>=(\d+)\.(\d+)/.exec(gateway.engines?.node ?? '>=0.0');
    const [major, minor] = [Number(declared?.[1]), Number(declared?.[2])];
    const [needMajor, needMinor] = MINIMUM_NODE_VERSION;
    expect(
      major < needMajor || (major === needMajor && minor <= needMinor),
      `fabric-gateway ${gateway.version} declares Node ${gateway.engines?.node ?? '?'}`,
    ).to.equal(true);
  });
});
