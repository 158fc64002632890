// Entry point of the `timeout-lint` command.
import { parseCliArgs } from './args.js';
import { runCli, type CliIo } from './main.js';
import { readStdin } from './stdin.js';
import { isMainThread, workerData } from 'node:worker_threads';
import { AHEAD_WORKER_KIND, type AheadWorkerData } from '../host/ahead-of-time.js';
import { runAheadWorker } from '../host/ahead-worker.js';

// The same bundle runs the worker threads that compute per-file work ahead of a run (host/ahead-of-time.ts).
if (!isMainThread && (workerData as AheadWorkerData | undefined)?.kind === AHEAD_WORKER_KIND) runAheadWorker(workerData as AheadWorkerData);
else main();

function main(): void {
  const argv = process.argv.slice(2);
  // A reader that stops early (`timeout-lint … | head`) closes the pipe: the rest of the output is not
  // wanted, which is no failure of the run. Exit with the run's status, quietly, as other CLIs do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  const io: CliIo = {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stdoutBytes: (bytes) => process.stdout.write(bytes),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    aheadWorkerScript: __filename,
  };

  // Standard input is read (to its end, bounded) before the synchronous run, and only when asked for:
  // the language server (`timeout-lint lsp --stdio`) speaks over it.
  if (parseCliArgs(argv).options?.stdin) {
    void readStdin(process.stdin).then((stdin) => {
      process.exitCode = runCli(argv, { ...io, stdin });
    });
  } else {
    process.exitCode = runCli(argv, io);
  }
}
