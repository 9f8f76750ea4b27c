'use strict';
// Prints each suite's counts and one total line ("tests: N passed, N failed, N skipped") from the
// JSON lines tools/mocha-summary-reporter.cjs wrote. Exits 1 on any failure or when nothing ran.
const fs = require('node:fs');

const file = process.argv[2];
const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
const total = { passes: 0, failures: 0, pending: 0 };
for (const line of lines) {
  const r = JSON.parse(line);
  total.passes += r.passes;
  total.failures += r.failures;
  total.pending += r.pending;
  console.log(`  ${r.suite}: ${r.passes} passed, ${r.failures} failed, ${r.pending} skipped`);
}
console.log(`tests: ${total.passes} passed, ${total.failures} failed, ${total.pending} skipped`);
if (total.failures > 0 || total.passes === 0) process.exitCode = 1;
