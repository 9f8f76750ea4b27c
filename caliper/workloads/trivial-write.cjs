// Caliper workload: the trivial write our own bench compares delivery reports with (`bench:Put`, one public key,
// the bench contract integration/bench/bench-chaincode.ts deploys for the run).
'use strict';

const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const { loadFixture } = require('./fixture.cjs');

class TrivialWrite extends WorkloadModuleBase {
  async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext) {
    await super.initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext);
    this.fixture = loadFixture();
    this.sent = 0;
  }

  async submitTransaction() {
    const key = `${this.fixture.runId}-r${String(this.roundIndex)}-w${String(this.workerIndex)}-${String(this.sent++)}`;
    await this.sutAdapter.sendRequests({
      contractId: 'adrecon',
      contractFunction: 'bench:Put',
      contractArguments: [key, 'x'],
      invokerMspId: this.fixture.publisher,
      invokerIdentity: this.fixture.publisherIdentity,
      readOnly: false,
    });
  }
}

module.exports.createWorkloadModule = () => new TrivialWrite();
