// The `specwright.rules` settings mirror the server's rule registry (`specwright rules --format
// json`): one property per rule with its default severity and summary. Fails on drift;
// UPDATE_SETTINGS=1 rewrites package.json from the registry.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const bin = process.env.SPECWRIGHT_BIN || 'specwright';
const registry = JSON.parse(execFileSync(bin, ['rules', '--format', 'json'], { encoding: 'utf8' }));
const pkgPath = path.resolve(__dirname, '../package.json');
const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
const expected = {};
for (const rule of registry) {
  expected[rule.id] = {
    type: 'string',
    enum: ['error', 'warning', 'info', 'hint', 'off'],
    default: rule.defaultSeverity,
    description: rule.summary,
  };
}
const rules = pkg.contributes.configuration.properties['specwright.rules'];
if (process.env.UPDATE_SETTINGS === '1') {
  rules.properties = expected;
  fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
  console.log(`settings written: ${registry.length} rules`);
  process.exit(0);
}
const actual = JSON.stringify(rules.properties);
if (actual !== JSON.stringify(expected)) {
  console.error('package.json specwright.rules differs from the registry; run with UPDATE_SETTINGS=1');
  process.exit(1);
}
console.log(`settings match the registry (${registry.length} rules)`);
