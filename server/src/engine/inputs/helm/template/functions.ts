// The function table a render uses: Go's builtins, Sprig's, then Helm's (later entries win, as in Helm's own FuncMap).
import type { FunctionDef, FunctionTable } from './render-types.js';
import { goFunctions } from './functions-go.js';
import { helmFunctions } from './functions-helm.js';
import { collectionFunctions } from './functions-collections.js';
import { pathFunctions } from './functions-path.js';
import { sprigFunctions } from './functions-sprig.js';

const table = new Map<string, FunctionDef>([...goFunctions, ...sprigFunctions, ...collectionFunctions, ...pathFunctions, ...helmFunctions]);

// Sprig's must* variants return an error where the plain ones would panic; both fail the render here.
for (const name of ['merge', 'mergeOverwrite', 'append', 'push', 'prepend', 'first', 'last', 'rest', 'initial', 'reverse', 'compact', 'uniq', 'without', 'has', 'deepCopy', 'regexMatch', 'regexFind', 'regexReplaceAll', 'regexReplaceAllLiteral', 'fromJson', 'dateModify']) {
  const def = table.get(name);
  const mustName = `must${name[0]!.toUpperCase()}${name.slice(1)}`;
  if (def && !table.has(mustName)) table.set(mustName, def);
}

export const HELM_FUNCTIONS: FunctionTable = table;
