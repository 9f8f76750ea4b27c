// Caliper workload: reads of committed delivery reports (`delivery:Get` by reporter and report ID, evaluated on the
// publisher's peer), cycling through the reports the bench seeded.
'use strict';

const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const { loadFixture } = require('./fixture.cjs');

class ReportRead extends WorkloadModuleBase {
  async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext) {
    await super.initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext);
    this.fixture = loadFixture();
    this.sent = workerIndex;
  }

  async submitTransaction() {
    const ids = this.fixture.seededReportIds;
    const reportId = ids[this.sent++ % ids.length];
    await this.sutAdapter.sendRequests({
      contractId: 'adrecon',
      contractFunction: 'delivery:Get',
      contractArguments: [this.fixture.publisher, reportId],
      invokerMspId: this.fixture.publisher,
      invokerIdentity: this.fixture.publisherIdentity,
      readOnly: true,
    });
  }
}

module.exports.createWorkloadModule = () => new ReportRead();
