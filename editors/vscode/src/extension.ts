// Specwright for VS Code: a thin client over `specwright lsp`. Diagnostics, quick fixes, hover,
// semantic tokens and code actions all come from the server; this file finds the binary,
// starts the client, maps settings and puts the server's commands in the palette.

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;

/** The binary: the setting (trusted workspaces only), the one shipped for this platform, else PATH. */
export function resolveServer(context: vscode.ExtensionContext): string | undefined {
  const configured = vscode.workspace.getConfiguration('specwright').get<string>('server.path', '').trim();
  if (configured && vscode.workspace.isTrusted) {
    return fs.existsSync(configured) ? configured : undefined;
  }
  const exe = process.platform === 'win32' ? 'specwright.exe' : 'specwright';
  const shipped = context.asAbsolutePath(path.join('server', `${process.platform}-${process.arch}`, exe));
  if (fs.existsSync(shipped)) {
    return shipped;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, exe);
    if (dir && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** Editor settings in the keys of specwright.toml (they fill only what the file leaves unset). */
function settings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration('specwright');
  const out: Record<string, unknown> = {};
  const ruleSet = c.get<string>('ruleSet', 'earned');
  if (ruleSet !== 'earned') {
    out['rule-set'] = ruleSet;
  }
  const rules = c.get<Record<string, string>>('rules', {});
  if (Object.keys(rules).length > 0) {
    out.rules = rules;
  }
  const patterns = c.get<string[]>('ids.patterns', []);
  if (patterns.length > 0) {
    out.ids = { patterns };
  }
  const adr: Record<string, unknown> = {};
  const template = c.get<string>('adr.template', '');
  if (template) {
    adr.template = template;
  }
  const lifecycle = c.get<string[]>('adr.lifecycle', []);
  if (lifecycle.length > 0) {
    adr.lifecycle = lifecycle;
  }
  if (Object.keys(adr).length > 0) {
    out.adr = adr;
  }
  const boundary = c.get<string[]>('decompose.defaultBoundary', []);
  if (boundary.length > 0) {
    out.decompose = { 'default-boundary': boundary };
  }
  const agent = c.get<string>('dispatch.agent', '');
  const jobs = c.get<number>('dispatch.jobs', 0);
  if (agent || jobs > 0) {
    out.dispatch = { ...(agent ? { agent } : {}), ...(jobs > 0 ? { jobs } : {}) };
  }
  // The server dispatches nothing in a workspace the user has not trusted.
  out.trusted = vscode.workspace.isTrusted;
  return out;
}

/** A task as the server reads it (`specwright.taskAt`, `specwright.tasks`). */
interface TaskInfo {
  id: string;
  title: string;
  status: 'open' | 'running' | 'done';
  optional: boolean;
  parent?: string | null;
  line: number;
}

let statusItem: vscode.StatusBarItem | undefined;
let statusTimer: NodeJS.Timeout | undefined;

interface DispatchStatus {
  run: string;
  total: number;
  done: number;
  running: string[];
  message: string;
  finished: boolean;
  passed?: number;
}

/** The running-agents item: what runs now, then the run's result for a while. */
function showDispatchStatus(s: DispatchStatus): void {
  if (!statusItem) {
    return;
  }
  if (statusTimer) {
    clearTimeout(statusTimer);
    statusTimer = undefined;
  }
  if (s.finished) {
    const ok = s.passed === s.total;
    statusItem.text = `${ok ? '$(check)' : '$(warning)'} Specwright: ${s.message}`;
    statusItem.tooltip = `Run ${s.run}: ${s.message}`;
    statusItem.command = undefined;
    statusTimer = setTimeout(() => statusItem?.hide(), 30000);
  } else {
    statusItem.text = `$(sync~spin) Specwright: ${s.done}/${s.total} done · ${s.message}`;
    statusItem.tooltip = `Run ${s.run}: ${s.running.length} agent(s) running (${s.running.join(', ')}). Click to cancel.`;
    statusItem.command = 'specwright.palette.cancelAll';
  }
  statusItem.show();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const command = resolveServer(context);
  if (!command) {
    const choice = await vscode.window.showErrorMessage(
      'Specwright: the `specwright` binary was not found. Install it (`cargo install --locked --path server/cli`) or set `specwright.server.path`.',
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'specwright.server.path');
    }
    return;
  }
  const serverOptions: ServerOptions = { command, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
      { scheme: 'file', pattern: '**/specwright.toml' },
    ],
    initializationOptions: settings(),
    outputChannel: output,
    synchronize: {
      // Settings are sent below in specwright.toml's keys, not VS Code's dotted names.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/specwright.toml'),
        vscode.workspace.createFileSystemWatcher('**/*.md'),
      ],
    },
    middleware: {
      workspace: {
        // The server reads specwright.toml keys, not VS Code's dotted setting names.
        configuration: (params, token, next) => {
          const wanted = params.items.some((i) => i.section === 'specwright');
          return wanted ? params.items.map(() => settings()) : next(params, token);
        },
      },
    },
  };
  client = new LanguageClient('specwright', 'Specwright', serverOptions, clientOptions);
  await client.start();
  client.onNotification('specwright/dispatchStatus', (s: DispatchStatus) => showDispatchStatus(s));
}

/** The task under the cursor of a tasks file, else one picked from its open tasks. The server
 * reads the task lines; the extension never parses them. */
async function taskAtCursorOrPick(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return undefined;
  }
  const uri = editor.document.uri.toString();
  const position = editor.selection.active;
  const here = (await serverCommand('specwright.taskAt', {
    uri,
    position: { line: position.line, character: position.character },
  })) as TaskInfo | null | undefined;
  if (here) {
    return here.id;
  }
  const all = ((await serverCommand('specwright.tasks', { uri })) as TaskInfo[] | undefined) ?? [];
  const open: vscode.QuickPickItem[] = all
    .filter((t) => t.status !== 'done')
    .map((t) => ({ label: t.id, description: t.title }));
  const picked = await vscode.window.showQuickPick(open, { placeHolder: 'Task to dispatch' });
  return picked?.label;
}

/** Calls a server command with one object argument; shows its error, if any. */
async function serverCommand(name: string, arg: Record<string, unknown>): Promise<unknown> {
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage('Specwright: the server is not running.');
    return undefined;
  }
  try {
    return await client.sendRequest(ExecuteCommandRequest.type, { command: name, arguments: [arg] });
  } catch (e) {
    void vscode.window.showErrorMessage(`Specwright: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

function activeUri(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc ? doc.uri.toString() : undefined;
}

/** The heading title at or above the cursor, for "Decompose section". */
function sectionAtCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return undefined;
  }
  for (let line = editor.selection.active.line; line >= 0; line--) {
    const m = /^(#{2,6})\s+(.*?)\s*#*\s*$/.exec(editor.document.lineAt(line).text);
    if (m) {
      return m[2];
    }
  }
  return undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Specwright', { log: true });
  context.subscriptions.push(output);
  const register = (id: string, fn: () => Promise<unknown>) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  register('specwright.palette.decompose', async () => {
    const uri = activeUri();
    if (!uri) {
      return;
    }
    const result = (await serverCommand('specwright.decompose', { uri, section: sectionAtCursor() })) as
      | { created?: string[]; updated?: string[]; unchanged?: string[] }
      | undefined;
    if (result) {
      void vscode.window.showInformationMessage(
        `Specwright: tasks ${result.created?.length ?? 0} new, ${result.updated?.length ?? 0} updated, ${result.unchanged?.length ?? 0} unchanged`,
      );
    }
  });
  register('specwright.palette.adrNew', async () => {
    const title = await vscode.window.showInputBox({ prompt: 'Title of the decision', placeHolder: 'Use PostgreSQL for orders' });
    if (title) {
      await serverCommand('specwright.adr.new', { title, uri: activeUri() });
    }
  });
  register('specwright.palette.adrSupersede', async () => {
    const uri = activeUri();
    if (!uri) {
      return;
    }
    const title = await vscode.window.showInputBox({ prompt: 'Title of the new decision (empty: keep the old title)' });
    if (title !== undefined) {
      await serverCommand('specwright.adr.supersede', title ? { uri, title } : { uri });
    }
  });
  register('specwright.palette.adrIndex', async () => {
    await serverCommand('specwright.adr.index', { uri: activeUri() });
  });
  register('specwright.palette.collectQuestions', async () => {
    const uri = activeUri();
    if (uri) {
      await serverCommand('specwright.collectQuestions', { uri });
    }
  });
  register('specwright.palette.restart', async () => {
    if (client) {
      await client.stop();
      client = undefined;
    }
    await start(context);
  });
  register('specwright.palette.showOutput', async () => output.show(true));
  register('specwright.palette.dispatchTask', async () => {
    const uri = activeUri();
    const task = await taskAtCursorOrPick();
    if (uri && task) {
      await serverCommand('specwright.dispatch', { uri, task });
    }
  });
  register('specwright.palette.dispatchAll', async () => {
    const uri = activeUri();
    if (uri) {
      await serverCommand('specwright.dispatch', { uri });
    }
  });
  register('specwright.palette.dispatchReady', async () => {
    const uri = activeUri();
    if (uri) {
      await serverCommand('specwright.dispatchReady', { uri });
    }
  });
  register('specwright.palette.cancelAll', async () => {
    const result = (await serverCommand('specwright.cancelAll', {})) as { cancelled?: string[] } | undefined;
    void vscode.window.showInformationMessage(
      result?.cancelled?.length ? `Specwright: cancelled run ${result.cancelled.join(', ')}` : 'Specwright: nothing is running',
    );
  });
  register('specwright.palette.showLog', async () => {
    const uri = activeUri();
    const task = await taskAtCursorOrPick();
    if (uri && task) {
      await serverCommand('specwright.showLog', { uri, task });
    }
  });
  register('specwright.palette.integrate', async () => {
    const uri = activeUri();
    const into = await vscode.window.showInputBox({
      prompt: 'Branch to merge the passed task branches into (created when missing; never the current branch)',
      value: 'specwright/integrated',
    });
    if (uri && into) {
      await serverCommand('specwright.integrate', { uri, into });
    }
  });
  register('specwright.palette.cleanWorktrees', async () => {
    const uri = activeUri();
    if (uri) {
      const result = (await serverCommand('specwright.worktrees.clean', { uri })) as { removed?: string[] } | undefined;
      void vscode.window.showInformationMessage(`Specwright: removed ${result?.removed?.length ?? 0} worktree(s)`);
    }
  });
  statusItem = vscode.window.createStatusBarItem('specwright.dispatch', vscode.StatusBarAlignment.Left, 10);
  statusItem.name = 'Specwright agents';
  context.subscriptions.push(statusItem);

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('specwright') || !client || client.state !== State.Running) {
        return;
      }
      if (e.affectsConfiguration('specwright.server.path')) {
        void vscode.commands.executeCommand('specwright.palette.restart');
        return;
      }
      void client.sendNotification(DidChangeConfigurationNotification.type, { settings: settings() });
    }),
  );

  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.commands.executeCommand('specwright.palette.restart')),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
