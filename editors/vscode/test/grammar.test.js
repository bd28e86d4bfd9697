// Snapshot test of the injection grammar: tokenizes tests/grammar/sample.md with vscode-textmate
// and vscode-oniguruma and lists every token that carries a Specwright scope. A minimal stand-in
// for VS Code's Markdown grammar provides the scopes the injection selector excludes (fenced
// and inline code). UPDATE_SNAPSHOTS=1 rewrites the snapshot.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.resolve(__dirname, '../../..');
const sample = path.join(root, 'tests/grammar/sample.md');
const snapshot = sample + '.snap';
const injection = JSON.parse(fs.readFileSync(path.join(root, 'grammars/specwright.tmLanguage.json'), 'utf8'));

const markdown = {
  scopeName: 'text.html.markdown',
  patterns: [
    { begin: '^```.*$', end: '^```\\s*$', name: 'markup.fenced_code.block.markdown' },
    { match: '`[^`]*`', name: 'markup.inline.raw.string.markdown' },
  ],
};

async function main() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope === 'text.html.markdown') return vsctm.parseRawGrammar(JSON.stringify(markdown), 'markdown.json');
      if (scope === 'specwright.injection') return vsctm.parseRawGrammar(JSON.stringify(injection), 'specwright.json');
      return null;
    },
    getInjections: (scope) => (scope === 'text.html.markdown' ? ['specwright.injection'] : undefined),
  });
  const grammar = await registry.loadGrammar('text.html.markdown');
  const lines = fs.readFileSync(sample, 'utf8').split('\n');
  let state = vsctm.INITIAL;
  const out = [];
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const scopes = t.scopes.filter((s) => s.endsWith('.specwright'));
      if (scopes.length > 0) {
        out.push(`${i + 1}:${t.startIndex} ${JSON.stringify(line.slice(t.startIndex, t.endIndex))} ${scopes.join(' ')}`);
      }
    }
    state = r.ruleStack;
  });
  const text = out.join('\n') + '\n';
  if (process.env.UPDATE_SNAPSHOTS === '1' || !fs.existsSync(snapshot)) {
    fs.writeFileSync(snapshot, text);
    console.log(`grammar snapshot written: ${snapshot}`);
    return;
  }
  const expected = fs.readFileSync(snapshot, 'utf8');
  if (expected !== text) {
    console.error('grammar snapshot differs (UPDATE_SNAPSHOTS=1 to accept):\n--- expected\n' + expected + '--- actual\n' + text);
    process.exit(1);
  }
  console.log(`grammar snapshot matches (${out.length} tokens)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
