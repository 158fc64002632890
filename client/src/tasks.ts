// The task "timeout-lint: lint the workspace": the CLI over each workspace folder, its findings read back by the `$timeout-lint` problem matcher.
import * as vscode from 'vscode';

export const TASK_TYPE = 'timeout-lint';

/**
 * One task per workspace folder, running the project's own CLI (`npx timeout-lint`, the version
 * its CI runs) with `--format github`: one line per finding, which the `$timeout-lint` problem
 * matcher in package.json reads (paths relative to the folder).
 */
export function registerTasks(): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, {
    provideTasks: () => (vscode.workspace.workspaceFolders ?? []).map((folder) => taskFor(folder, { type: TASK_TYPE })),
    resolveTask: (task) => {
      const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
      return folder ? taskFor(folder, task.definition) : undefined;
    },
  });
}

function taskFor(folder: vscode.WorkspaceFolder, definition: vscode.TaskDefinition): vscode.Task {
  const args = ['timeout-lint', '--format', 'github', ...(Array.isArray(definition.args) ? definition.args.filter((a: unknown): a is string => typeof a === 'string') : [])];
  const task = new vscode.Task(definition, folder, 'lint the workspace', 'timeout-lint',
    new vscode.ShellExecution('npx', args, { cwd: folder.uri.fsPath }), ['$timeout-lint']);
  task.group = vscode.TaskGroup.Build;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent };
  return task;
}
