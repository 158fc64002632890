// The server-side database settings of a whole workspace: what every input read (inputs/input.ts `databaseSettings`), once per model.
import { inputsOf } from '../inputs/index.js';
import type { DatabaseSettings } from '../database-settings.js';
import type { WorkspaceModel } from '../workspace-model.js';

const memo = new WeakMap<WorkspaceModel, DatabaseSettings>();

/** Servers and settings from every input of the run, in registry order. */
export function databaseSettingsOf(model: WorkspaceModel): DatabaseSettings {
  let out = memo.get(model);
  if (out) return out;
  out = { servers: [], settings: [] };
  for (const input of inputsOf(model)) {
    const read = input.databaseSettings?.(model[input.id] as never);
    if (!read) continue;
    out.servers.push(...read.servers);
    out.settings.push(...read.settings);
  }
  memo.set(model, out);
  return out;
}
