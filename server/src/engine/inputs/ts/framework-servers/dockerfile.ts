// A Dockerfile read as Docker reads it, for the command its image runs.

/**
 * A Dockerfile's instructions as Docker reads them: comment lines dropped (also inside a continued
 * instruction), continued lines joined, heredoc bodies (`COPY <<EOF … EOF`) skipped.
 */
export function dockerInstructions(text: string): Array<{ keyword: string; args: string }> {
  const out: Array<{ keyword: string; args: string }> = [];
  const lines = text.split(/\r?\n/);
  let pending = '';
  let heredoc: string | undefined;
  for (const line of lines) {
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    if (/^\s*#/.test(line) || (pending !== '' && line.trim() === '')) continue;
    const joined = pending + line;
    if (/\\\s*$/.test(line)) {
      pending = joined.replace(/\\\s*$/, ' ');
      continue;
    }
    pending = '';
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(joined);
    if (!m) continue;
    out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim() });
    const marker = /<<-?\s*["']?(\w+)["']?/.exec(m[2]!);
    if (marker && m[1]!.toUpperCase() !== 'CMD' && m[1]!.toUpperCase() !== 'ENTRYPOINT') heredoc = marker[1];
  }
  return out;
}

/**
 * The command the image of a Dockerfile runs: its last stage's ENTRYPOINT and CMD, a stage built
 * `FROM` an earlier one inheriting them (an exec-form ENTRYPOINT takes CMD as its arguments; a
 * shell-form one ignores CMD), exec forms joined with spaces. Undefined when the last stage sets
 * none (the base image's own command runs: no server of the package's).
 */
export function lastCommand(text: string): string | undefined {
  type Commands = { entrypoint?: { text: string; exec: boolean }; cmd?: { text: string; exec: boolean } };
  const stages = new Map<string, Commands>();
  let current: Commands = {};
  for (const { keyword, args } of dockerInstructions(text)) {
    if (keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      // A stage built from an earlier one starts with its commands; another image's are not the package's.
      current = { ...(m ? stages.get(m[1]!.toLowerCase()) : undefined) };
      if (m?.[2]) stages.set(m[2].toLowerCase(), current);
    } else if (keyword === 'CMD') current.cmd = commandForm(args);
    else if (keyword === 'ENTRYPOINT') current.entrypoint = commandForm(args);
  }
  const { entrypoint, cmd } = current;
  if (entrypoint && entrypoint.exec && cmd) return `${entrypoint.text} ${cmd.text}`.trim();
  return (entrypoint ?? cmd)?.text;
}

function commandForm(body: string): { text: string; exec: boolean } {
  try {
    const exec = JSON.parse(body) as unknown;
    if (Array.isArray(exec) && exec.every((part) => typeof part === 'string')) return { text: exec.join(' '), exec: true };
  } catch {
    // The shell form: the text as written.
  }
  return { text: body.trim(), exec: false };
}
