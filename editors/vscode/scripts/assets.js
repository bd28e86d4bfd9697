// Copies what the extension ships from the repository: the injection grammar, and the server
// binary named by SPECWRIGHT_BIN (into server/<platform>-<arch>/, where the extension looks).
'use strict';
const fs = require('fs');
const path = require('path');
const here = path.resolve(__dirname, '..');
fs.mkdirSync(path.join(here, 'grammars'), { recursive: true });
fs.copyFileSync(
  path.join(here, '../../grammars/specwright.tmLanguage.json'),
  path.join(here, 'grammars/specwright.tmLanguage.json'),
);
const bin = process.env.SPECWRIGHT_BIN;
if (bin) {
  const dir = path.join(here, 'server', `${process.platform}-${process.arch}`);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, process.platform === 'win32' ? 'specwright.exe' : 'specwright');
  fs.copyFileSync(bin, target);
  fs.chmodSync(target, 0o755);
}
