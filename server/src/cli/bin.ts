// Entry point of the `timeout-lint` command.
import { parseCliArgs } from './args.js';
import { runCli, type CliIo } from './main.js';
import { readStdin } from './stdin.js';

const argv = process.argv.slice(2);
const io: CliIo = {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stdoutBytes: (bytes) => process.stdout.write(bytes),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
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
