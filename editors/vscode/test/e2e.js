// End-to-end test of the packaged extension in a real VS Code (code-server), driven by
// Playwright in Debian's Chromium. Run by server/cli/tests/vscode.rs, which provides:
//   CODE_SERVER  the code-server launcher     VSIX        the packaged extension
//   WORKSPACE    a copy of examples/spec-kit  STATE       a scratch folder for code-server
//   PLAYWRIGHT   the playwright-core module   CHROMIUM    the browser binary
// Prints one line per check and exits non-zero with a report when any fails.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const codeServer = env('CODE_SERVER');
const vsix = env('VSIX');
const workspace = env('WORKSPACE');
const state = env('STATE');
const { chromium } = require(env('PLAYWRIGHT'));
const browserPath = env('CHROMIUM');
const shots = process.env.SCREENSHOTS || path.join(state, 'screenshots');
fs.mkdirSync(shots, { recursive: true });
async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`) }).catch(() => {});
}

const failures = [];
let passed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failures.push(`${name}${detail ? ': ' + detail : ''}`);
    console.log(`FAIL ${name}${detail ? ': ' + String(detail).slice(0, 2000) : ''}`);
  }
}

const userData = path.join(state, 'user-data');
const extensions = path.join(state, 'extensions');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(
  path.join(userData, 'User', 'settings.json'),
  JSON.stringify({
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'chat.disableAIFeatures': true,
    // An editor setting reaches the server in specwright.toml's keys (the workspace's
    // specwright.toml sets no severity for this rule).
    'specwright.rules': { 'weak-phrase': 'off' },
  }),
);

function waitForServer(port, deadline) {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const req = http.get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
        res.resume();
        resolve();
      });
      req.on('error', () => {
        if (Date.now() > deadline) reject(new Error('code-server did not start'));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

async function editorText(page) {
  return page.evaluate(() => {
    const lines = document.querySelector('.editor-instance .view-lines');
    return lines ? lines.innerText.replace(/\u00a0/g, ' ') : '';
  });
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20000 });
  await input.fill('>' + title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 20000 });
  await page.keyboard.press('Enter');
}

async function openFile(page, relative) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20000 });
  await input.fill(relative);
  const name = path.basename(relative);
  // Rows show the file name and its folder; recently opened files come first.
  const folder = path.dirname(relative).split('/').pop();
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: folder }).filter({ hasText: name }).first();
  await row.waitFor({ timeout: 20000 });
  await row.click();
  await page.locator(`.tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: 20000 });
}

async function main() {
  execFileSync(codeServer, ['--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', userData], {
    stdio: 'inherit',
  });
  check('extension installs', fs.readdirSync(extensions).some((d) => d.startsWith('specwright.specwright')));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(
    codeServer,
    [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', userData,
      '--extensions-dir', extensions,
      workspace,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let serverLog = '';
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    await waitForServer(port, Date.now() + 60000);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    check('workbench loads', true);

    await openFile(page, 'specs/002-share-drafts/spec.md');
    const squiggles = await page
      .locator('.squiggly-warning, .squiggly-error, .squiggly-info')
      .first()
      .waitFor({ timeout: 90000 })
      .then(() => true, () => false);
    check('diagnostics shown in the editor', squiggles);

    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.waitFor({ timeout: 20000 });
    let panel = '';
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      panel = await problems.innerText();
      if (panel.includes('vague-term')) break;
      await page.waitForTimeout(250);
    }
    check('Problems panel lists rule ids', panel.includes('vague-term') && panel.includes('specwright'), panel.slice(0, 500));
    // Filter the Problems panel by rule id: the list is virtualised, so only a filter tells
    // whether a rule has findings at all.
    const rowsFor = async (text) => {
      const filter = page.locator('.viewpane-filter input').first();
      await filter.fill(text);
      await page.waitForTimeout(1500);
      const rows = await page.locator('.markers-panel .monaco-list-row').count();
      await filter.fill('');
      return rows;
    };
    const vague = await rowsFor('vague-term');
    const weak = await rowsFor('weak-phrase');
    check('the Problems filter finds a rule that is on', vague > 0, String(vague));
    check('a rule turned off in the settings is silent', weak === 0, String(weak));
    await shot(page, '1-diagnostics');

    // A quick fix: jump from the Problems panel to the `and/or` finding, apply its fix.
    const filter = page.locator('.viewpane-filter input').first();
    await filter.fill('and-or');
    await page.waitForTimeout(1000);
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'and/or' }).first();
    await marker.click();
    await page.keyboard.press('Enter');
    await filter.fill('');
    await page.locator('.editor-instance .view-lines').first().waitFor();
    // The editor shows the finding selected; focus it (Ctrl+1 keeps the selection).
    await page.keyboard.press('Control+1');
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'with `or`' }).first();
    const offered = await fix.waitFor({ timeout: 15000 }).then(() => true, () => false);
    const menu = await page.locator('.action-widget').innerText().catch(() => '');
    check('quick fix offered on the light bulb', offered, menu);
    if (offered) {
      // Choose it from the keyboard: the menu's rows sit under a pointer-blocking overlay.
      const rows = await page.locator('.action-widget .monaco-list-row.action').allInnerTexts();
      const target = rows.findIndex((t) => t.includes('with `or`'));
      for (let i = 0; i < target; i++) {
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      let fixed = '';
      const until = Date.now() + 15000;
      while (Date.now() < until) {
        fixed = await editorText(page);
        if (fixed.includes('by email or push')) break;
        await page.waitForTimeout(250);
      }
      check('quick fix applied', fixed.includes('by email or push'), fixed.slice(0, 1500));
    }
    await shot(page, '2-quick-fix');

    // A palette command backed by the server: the questions land at the end of the spec.
    await page.locator('.editor-instance .view-lines').first().click();
    await runCommand(page, 'Specwright: Collect clarification questions');
    let text = '';
    const until = Date.now() + 30000;
    while (Date.now() < until) {
      await page.keyboard.press('Control+End');
      text = await editorText(page);
      if (text.includes('## Clarifications') || text.includes('- Q: ')) break;
      await page.waitForTimeout(300);
    }
    check('Collect clarification questions edits the spec', text.includes('- Q: '), text.slice(-800));
    await shot(page, '3-questions');

    // Decompose: the tasks file opens with the generated tasks.
    await openFile(page, 'specs/001-offline-drafts/spec.md');
    await runCommand(page, 'Specwright: Decompose section into tasks');
    const shown = await page
      .locator('.tab.active[aria-label*="tasks.md"]')
      .first()
      .waitFor({ timeout: 30000 })
      .then(() => true, () => false);
    const toasts = await page.locator('.notifications-toasts').innerText().catch(() => '');
    check('Decompose opens tasks.md', shown, toasts);
    await page.keyboard.press('Control+End');
    await page.waitForTimeout(500);
    text = await editorText(page);
    check('tasks.md has the generated tasks', text.includes('<!-- sw:FR5#'), text.slice(-800));

    await shot(page, '4-decompose');

    // Dispatch: a task of a git repository's tasks file to a fake agent (a real process that
    // speaks Claude Code's stream-json), consent in a notification, progress in the status
    // bar, the checkbox ticked in the editor, a violation on a task line.
    await openFile(page, 'repo/specs/001-sessions/tasks.md');
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await runCommand(page, 'Specwright: Dispatch task to agent');
    const consent = page.locator('.notifications-toasts .notification-toast', { hasText: 'agent `fake`' }).first();
    const asked = await consent.waitFor({ timeout: 30000 }).then(() => true, () => false);
    check('asked to confirm the agent command', asked, await page.locator('.notifications-toasts').innerText().catch(() => ''));
    await shot(page, '5-consent');
    await consent.locator('.monaco-button', { hasText: 'Run' }).first().click();
    const status = page.locator('.statusbar-item', { hasText: 'Specwright:' }).first();
    let statusText = '';
    let ticked = '';
    let sawRunning = false;
    const runUntil = Date.now() + 60000;
    while (Date.now() < runUntil) {
      statusText = await status.innerText().catch(() => '');
      if (statusText.includes('done ·')) {
        sawRunning = true;
      }
      ticked = await editorText(page);
      if (ticked.includes('[x] T001') && statusText.includes('1/1 passed')) break;
      await page.waitForTimeout(200);
    }
    check('running agents in the status bar', sawRunning, statusText);
    check('checkbox ticked in the editor', ticked.includes('[x] T001 Store sessions'), ticked.slice(0, 800));
    check('status bar shows the result', statusText.includes('1/1 passed'), statusText);
    await shot(page, '6-dispatched');

    // T003 from its code lens: it writes outside its boundary.
    const lens = page.locator('.codelens-decoration a', { hasText: 'Dispatch' }).last();
    const lensShown = await lens.waitFor({ timeout: 30000 }).then(() => true, () => false);
    check('Dispatch code lens on open tasks', lensShown);
    await lens.click();
    const problemsPanel = page.locator('.markers-panel');
    await page.keyboard.press('Control+Shift+M');
    await problemsPanel.waitFor({ timeout: 20000 });
    // The list is virtualised: filter it down to the finding.
    const problemsFilter = page.locator('.viewpane-filter input').first();
    await problemsFilter.fill('outside its boundary');
    let violation = '';
    const violationUntil = Date.now() + 60000;
    while (Date.now() < violationUntil) {
      violation = await problemsPanel.innerText().catch(() => '');
      if (violation.includes('outside its boundary')) break;
      await page.waitForTimeout(300);
    }
    check('boundary violation in the Problems panel', violation.includes('T003 changed docs/outside-T003.txt, outside its boundary src/token/**'), violation.slice(0, 1500));
    await shot(page, '7-violation');
  } catch (e) {
    check('no exception', false, e && e.stack ? e.stack : String(e));
  } finally {
    await browser.close();
    server.kill();
  }
  console.log(`vscode e2e: ${passed} passed, ${failures.length} failed`);
  if (failures.length > 0) {
    console.log('code-server log (tail):\n' + serverLog.slice(-3000));
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
