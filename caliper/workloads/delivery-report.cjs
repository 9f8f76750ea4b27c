// Caliper workload: one delivery report per transaction (`delivery:Submit`), sent as the REST gateway sends it since
// issue 8: arguments in transient data with a fresh salt and seal key, placeholders in the proposal's arguments.
// Each transaction reports its own UTC hour of the campaign's flight, so no two reports share a period.
'use strict';

const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const { TRANSIENT_KEYS } = require(path.join(__dirname, '..', '..', 'contract', 'dist', 'src', 'transient.js'));
const { loadFixture } = require('./fixture.cjs');

const HOUR_MS = 3_600_000;
const iso = (ms) => new Date(ms).toISOString().replace('.000', '');

class DeliveryReport extends WorkloadModuleBase {
  async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext) {
    await super.initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext);
    this.fixture = loadFixture();
    // Hours are dealt round-robin across workers from the fixture's first free hour (1,000 are reserved for Caliper).
    this.firstHourMs = this.fixture.firstFreeHourMs;
    this.sent = 0;
  }

  async submitTransaction() {
    const n = this.sent++;
    const startMs = this.firstHourMs + (n * this.totalWorkers + this.workerIndex) * HOUR_MS;
    const report = {
      reportId: `${this.fixture.runId}-r${String(this.roundIndex)}-w${String(this.workerIndex)}-${String(n)}`,
      campaignId: this.fixture.campaignId,
      lineItemId: this.fixture.lineItemId,
      periodStart: iso(startMs),
      periodEnd: iso(startMs + HOUR_MS),
      impressions: 10_000,
      invalidImpressions: 10,
    };
    await this.sutAdapter.sendRequests({
      contractId: 'adrecon',
      contractFunction: 'delivery:Submit',
      contractArguments: [''],
      transientMap: {
        [TRANSIENT_KEYS.args]: JSON.stringify([JSON.stringify(report)]),
        [TRANSIENT_KEYS.salt]: randomBytes(32),
        [TRANSIENT_KEYS.sealKey]: randomBytes(32),
      },
      invokerMspId: this.fixture.publisher,
      invokerIdentity: this.fixture.publisherIdentity,
      readOnly: false,
    });
  }
}

module.exports.createWorkloadModule = () => new DeliveryReport();
