// What every workload reads from the run: the campaign the bench set up and the reports it seeded
// (integration/bench/caliper-bench.ts writes the file and names it in ADRECON_CALIPER_FIXTURE).
'use strict';

const fs = require('node:fs');

/**
 * @typedef {object} Fixture
 * @property {string} runId a prefix no earlier run used
 * @property {string} campaignId an ACTIVE campaign whose line item runs through 2026
 * @property {string} lineItemId its line item
 * @property {string} publisher the line item's publisher (MSP ID), who reports
 * @property {string} publisherIdentity the publisher's identity name in Caliper's network configuration
 * @property {number} firstFreeHourMs the start of the first UTC hour no seeded report uses
 * @property {string[]} seededReportIds reports of the publisher already committed, for reads
 */

/** @returns {Fixture} */
function loadFixture() {
  const file = process.env.ADRECON_CALIPER_FIXTURE;
  if (file === undefined || file === '')
    throw new Error('ADRECON_CALIPER_FIXTURE is not set (run npm run bench:caliper)');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

module.exports = { loadFixture };
