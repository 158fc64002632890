// Parses command-line arguments into CLI options; usage errors are returned, never thrown.
import { parseArgs } from 'node:util';
import { CHAIN_FORMATS, isChainFormat, type ChainFormatName } from './formatters/chains/index.js';
import { FORMATS, isFormat, type FormatName } from './formatters/index.js';
import type { Concurrency } from '../host/ahead-of-time.js';

export type CacheStrategy = 'metadata' | 'content';

export interface CliOptions {
  command: 'lint' | 'chains' | 'print-nginx' | 'print-config-schema' | 'lsp' | 'help' | 'version';
  paths: string[];
  root: string | undefined;
  config: string | undefined;
  /** The report format of the lint command. */
  format: FormatName;
  /** The output format of the `chains` command. */
  chainFormat: ChainFormatName;
  outputFile: string | undefined;
  fix: boolean;
  unsafeFixes: boolean;
  fixDryRun: boolean;
  maxWarnings: number | undefined;
  quiet: boolean;
  color: boolean | undefined;
  codeFrame: boolean;
  includePrefix: string | undefined;
  cache: boolean;
  cacheLocation: string | undefined;
  /** How the cache decides that a file is unchanged: size and modification time, or its content's hash. */
  cacheStrategy: CacheStrategy;
  /** Lint the text on standard input (`--stdin`, or `-` among the paths). */
  stdin: boolean;
  /** The path the piped text is linted as (inside the root); its name decides the input. */
  stdinFilename: string | undefined;
  /** Threads a cold run may use (the run's own included): `off` (one thread, the default), `auto` or a count. */
  concurrency: Concurrency;
}

export const USAGE = `Usage: timeout-lint [options] [paths...]
       timeout-lint chains [options] [paths...] (explain the call chains: each hop's timeouts and their sources)
       <command> | timeout-lint - [--stdin-filename <path>] [options] [paths...]
       timeout-lint print nginx <entry> [--include-prefix <dir>]
       timeout-lint print config-schema
       timeout-lint lsp --stdio                 (the language server, for any LSP editor)

Finds timeout mistakes across nginx configs, Kubernetes manifests and TypeScript/JavaScript services, linked into call chains.

Options:
  -f, --format <name>      Output format: ${FORMATS.join(', ')} (default: stylish);
                           for chains: ${CHAIN_FORMATS.join(', ')} (default: text)
  -o, --output-file <file> Write the report to a file instead of stdout
  -c, --config <file>      Configuration file (default: <root>/timeout-lint.config.json)
      --root <dir>         Workspace root: nothing outside it is read (default: current directory)
      --fix                Apply safe fixes and write the files
      --unsafe-fixes       With --fix or --fix-dry-run: also apply fixes that change behaviour
      --fix-dry-run        Compute fixes and report what would remain, without writing
      --max-warnings <n>   Exit with 1 when there are more than n warnings
      --quiet              Report errors only
      --color / --no-color Force colours on or off (default: on for a terminal)
      --code-frame         Show the source line under each finding (stylish)
      --include-prefix <d> Folder that absolute nginx include paths resolve against
      --cache              Reuse the last report if no file, the configuration or the tool changed
      --cache-location <d> Folder of the cache (default: <root>/.timeout-lint-cache)
      --cache-strategy <s> metadata (size and modification time, default) or content (sha256 of every file)
      --concurrency <n>    Threads a run may use to parse sources: off (default), auto (one per
                           core, at most 4, for large workspaces) or a number; results are the same
      --stdin, -           Lint the text on standard input (binary or over 8 MiB: listed as not analysed)
      --stdin-filename <p> The file inside the root it is linted as; the name decides the input:
                           chart.yaml Kubernetes, nginx.conf nginx, x.ts TypeScript (default: stdin.yaml).
                           It is linted alone unless --root or paths name more files.
                           With --fix the fixed text goes to stdout and the report to stderr (or -o)
  -h, --help               Show this help
  -v, --version            Show the version

Exit codes: 0 no errors, 1 errors (or warnings over --max-warnings), 2 usage, configuration or internal error.
            chains exits with 0, or 2 on usage or configuration errors (never 1).`;

export function parseCliArgs(argv: string[]): { options?: CliOptions; error?: string } {
  // The language server reads its own flags (--stdio, --node-ipc, --clientProcessId=…) from process.argv.
  if (argv[0] === 'lsp') return { options: { ...parseCliArgs([]).options!, command: 'lsp' } };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        'output-file': { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        root: { type: 'string' },
        fix: { type: 'boolean' },
        'unsafe-fixes': { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'code-frame': { type: 'boolean' },
        'include-prefix': { type: 'string' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
        'cache-strategy': { type: 'string' },
        stdin: { type: 'boolean' },
        'stdin-filename': { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const v = parsed.values;
  let maxWarnings: number | undefined;
  if (v['max-warnings'] !== undefined) {
    maxWarnings = Number(v['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) return { error: `--max-warnings takes a whole number, got "${v['max-warnings']}"` };
  }
  let command: CliOptions['command'] = 'lint';
  let paths = parsed.positionals;
  if (v.help) command = 'help';
  else if (v.version) command = 'version';
  else if (paths[0] === 'print') {
    if (paths[1] === 'config-schema' && paths.length === 2) command = 'print-config-schema';
    else if (paths[1] === 'nginx' && paths.length === 3) command = 'print-nginx';
    else return { error: 'usage: timeout-lint print nginx <entry> | timeout-lint print config-schema' };
    paths = paths.slice(2);
  } else if (paths[0] === 'chains') {
    command = 'chains';
    paths = paths.slice(1);
  }
  // Each command has its own formats: the lint reports, or the chain explanations.
  let format: FormatName = 'stylish';
  let chainFormat: ChainFormatName = 'text';
  if (command === 'chains') {
    if (v.format !== undefined) {
      if (!isChainFormat(v.format)) return { error: `unknown format "${v.format}" for chains; use one of ${CHAIN_FORMATS.join(', ')}` };
      chainFormat = v.format;
    }
    const lintOnly = (['fix', 'fix-dry-run', 'unsafe-fixes', 'max-warnings', 'cache', 'cache-location', 'cache-strategy', 'code-frame'] as const).filter((name) => v[name] !== undefined);
    if (lintOnly.length > 0) return { error: `--${lintOnly[0]} does not apply to chains` };
  } else if (v.format !== undefined) {
    if (!isFormat(v.format)) return { error: `unknown format "${v.format}"; use one of ${FORMATS.join(', ')}${isChainFormat(v.format) ? ` (${v.format} is a format of the chains command)` : ''}` };
    format = v.format;
  }
  if (v['unsafe-fixes'] && !v.fix && !v['fix-dry-run']) return { error: '--unsafe-fixes goes with --fix or --fix-dry-run' };
  const stdin = stdinRequest(command, paths, v.stdin, v['stdin-filename']);
  if ('error' in stdin) return { error: stdin.error };
  paths = stdin.paths;
  const concurrency = concurrencyOf(v.concurrency);
  if (typeof concurrency === 'object') return concurrency;
  const cacheStrategy = v['cache-strategy'] ?? 'metadata';
  if (cacheStrategy !== 'metadata' && cacheStrategy !== 'content') return { error: `unknown cache strategy "${cacheStrategy}"; use metadata or content` };
  return {
    options: {
      command,
      paths,
      root: v.root,
      config: v.config,
      format,
      chainFormat,
      outputFile: v['output-file'],
      fix: Boolean(v.fix),
      unsafeFixes: Boolean(v['unsafe-fixes']),
      fixDryRun: Boolean(v['fix-dry-run']),
      maxWarnings,
      quiet: Boolean(v.quiet),
      color: v['no-color'] ? false : v.color,
      codeFrame: Boolean(v['code-frame']),
      includePrefix: v['include-prefix'],
      cache: Boolean(v.cache),
      cacheLocation: v['cache-location'],
      cacheStrategy,
      stdin: stdin.stdin,
      stdinFilename: v['stdin-filename'],
      concurrency,
    },
  };
}

function concurrencyOf(value: string | undefined): Concurrency | { error: string } {
  // One thread unless asked: on 2 cores a worker costs the run more than it saves (README, Performance).
  if (value === undefined || value === 'off') return 'off';
  if (value === 'auto') return 'auto';
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : { error: `--concurrency takes auto, off or a whole number of threads (1 or more), got "${value}"` };
}

/**
 * `--stdin`, a `-` among the paths, or `--stdin-filename` alone (as Ruff reads it) ask for standard
 * input; the other paths stay and are linted beside it. Only the commands that lint read it.
 */
function stdinRequest(command: CliOptions['command'], positionals: string[], flag: boolean | undefined, filename: string | undefined): { stdin: boolean; paths: string[] } | { error: string } {
  const dashes = positionals.filter((p) => p === '-').length;
  const paths = positionals.filter((p) => p !== '-');
  const stdin = Boolean(flag) || dashes > 0 || filename !== undefined;
  if (!stdin) return { stdin, paths };
  if (command !== 'lint' && command !== 'chains') return { stdin: false, paths: positionals };
  if (dashes > 1) return { error: 'standard input can be read once: give - only once' };
  if (filename === '') return { error: '--stdin-filename needs a file name' };
  return { stdin, paths };
}
