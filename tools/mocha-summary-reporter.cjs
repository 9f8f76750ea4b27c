'use strict';
// Mocha's spec output, plus one JSON line of counts per run appended to $ADRECON_TEST_SUMMARY,
// so tools/test.sh can print one total over every suite (unit, component, integration).
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.ADRECON_TEST_SUMMARY;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      const suite = process.env.ADRECON_TEST_SUITE || process.cwd();
      fs.appendFileSync(file, JSON.stringify({ suite, passes, failures, pending }) + '\n');
    });
  }
}

module.exports = SummaryReporter;
