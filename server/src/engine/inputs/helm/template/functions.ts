// The function table a render uses: Go's builtins, Sprig's, then Helm's (later entries win, as in Helm's own FuncMap).
import type { FunctionDef, FunctionTable } from './execute.js';
import { goFunctions } from './functions-go.js';
import { helmFunctions } from './functions-helm.js';
import { sprigFunctions } from './functions-sprig.js';

export const HELM_FUNCTIONS: FunctionTable = new Map<string, FunctionDef>([...goFunctions, ...sprigFunctions, ...helmFunctions]);
