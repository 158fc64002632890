// The Vercel input: `vercel.json` files, whose `functions` globs give route handlers their settings
// (`maxDuration`) only when they match function sources below the file's folder.
import { defineInput, type ReadContext } from '../input.js';
import type { FileId } from '../../types.js';
import { readVercelConfig, type VercelConfig } from './config.js';
import { matchFunctionPattern, type FolderReader, type PatternMatch } from './patterns.js';

export interface VercelModel {
  configs: Array<VercelConfig & { matches: PatternMatch[] }>;
}

declare module '../../workspace-model.js' {
  interface InputModels {
    /** Every vercel.json with its `functions` entries and whether each pattern matches a file. */
    vercel: VercelModel;
  }
}

export const vercelInput = defineInput({
  id: 'vercel',
  language: 'json',
  claim: (file) => (file === 'vercel.json' || file.endsWith('/vercel.json') ? 'name' : undefined),
  reader(context) {
    const configs: VercelModel['configs'] = [];
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        const { config, problems } = readVercelConfig(file, decoded.text);
        if (problems.length > 0) context.addSource(file, decoded);
        context.reportProblems(problems);
        if (!config || config.functions.length === 0) return;
        const reader = folderReader(context);
        configs.push({ ...config, matches: config.functions.map((entry) => matchFunctionPattern(config.dir, entry.pattern, reader)) });
        if (problems.length === 0) context.addSource(file, decoded);
      },
      build: () => ({ configs }),
    };
  },
  empty: () => ({ configs: [] }),
  present: (model) => model.configs.length > 0,
});

function folderReader(context: ReadContext): FolderReader {
  return {
    list: (dir: FileId) => context.fs.readDirectory(dir),
    isDirectory: (file: FileId) => context.fs.stat(file)?.isDirectory === true,
  };
}
