// Makes `timeoutLint.trace.server` work on its own: the message trace goes to the output channel whenever the setting asks for it.
//
// vscode-languageclient 9+ traces only when its trace channel's log level is Trace ("Developer: Set
// Log Level…"), whatever `trace.server` says, and writes the trace at Trace level, which a log
// output channel hides by default. So a user who sets `trace.server: verbose` saw an empty channel.
// This channel reports the Trace level while the setting is not `off` and writes the trace lines
// into the extension's output channel as ordinary lines.
import * as vscode from 'vscode';

const SETTING = 'timeoutLint.trace.server';

export function createTraceChannel(output: vscode.LogOutputChannel): vscode.LogOutputChannel & vscode.Disposable {
  const levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  const levelFromSetting = () => (vscode.workspace.getConfiguration().get<string>(SETTING, 'off') === 'off' ? output.logLevel : vscode.LogLevel.Trace);
  let level = levelFromSetting();
  const watch = vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SETTING)) return;
    level = levelFromSetting();
    levelChanged.fire(level);
  });
  const write = (prefix: string) => (message: string | Error, ...args: unknown[]) =>
    output.appendLine([`${prefix}${message instanceof Error ? (message.stack ?? message.message) : message}`, ...args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))].join(' '));
  return {
    name: output.name,
    get logLevel() {
      return level;
    },
    onDidChangeLogLevel: levelChanged.event,
    trace: write('[trace] '),
    debug: write('[debug] '),
    info: write(''),
    warn: write('[warn] '),
    error: write('[error] '),
    append: (value: string) => output.append(value),
    appendLine: (value: string) => output.appendLine(value),
    replace: (value: string) => output.replace(value),
    clear: () => output.clear(),
    show: ((...args: unknown[]) => (output.show as (...a: unknown[]) => void)(...args)) as vscode.LogOutputChannel['show'],
    hide: () => output.hide(),
    dispose: () => {
      watch.dispose();
      levelChanged.dispose();
    },
  };
}
