// The worker side of ahead-of-time.ts: takes files from the end of the list, reads them through the
// same confined file system as the run, and posts each input's precompute result with the text it
// was made from.
import { INPUTS } from '../engine/inputs/index.js';
import type { Precompute } from '../engine/inputs/input.js';
import { decodeText } from '../engine/text.js';
import { DONE, FREE, TAKEN_BY_WORKER, type AheadResult, type AheadWorkerData } from './ahead-of-time.js';
import { NodeWorkspaceFs } from './node-workspace-fs.js';

export function runAheadWorker(data: AheadWorkerData): void {
  const counter = new Int32Array(data.shared, 0, 1);
  const states = new Int32Array(data.shared, 4, data.files.length);
  const precomputes = new Map<string, Precompute>();
  for (const input of INPUTS) if (input.precompute) precomputes.set(input.id, input.precompute);
  const fs = new NodeWorkspaceFs(data.root, { rememberFolders: true });
  for (;;) {
    const i = Atomics.sub(counter, 0, 1);
    if (i < 0) break;
    if (Atomics.compareExchange(states, i, FREE, TAKEN_BY_WORKER) !== FREE) continue;
    const [file, input] = data.files[i]!;
    let result: AheadResult = { index: i };
    try {
      const bytes = fs.readFileBounded(file, data.maxFileBytes)?.bytes;
      const precompute = precomputes.get(input);
      if (bytes && precompute) {
        const text = decodeText(bytes).text;
        if (precompute.wants(file, text)) result = { index: i, text, value: precompute.compute(file, text) };
      }
      data.port.postMessage(result);
    } catch {
      // A failure here (or a result that cannot be cloned) only means the run computes the file itself.
      data.port.postMessage({ index: i });
    }
    // After the post: a run that sees DONE finds the result in its port's queue.
    Atomics.store(states, i, DONE);
    Atomics.notify(states, i);
  }
  data.port.close();
}
