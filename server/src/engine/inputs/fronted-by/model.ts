// The load balancers `chains.frontedBy` names, with the places in the configuration file that set them.
import { parseJsonWithPositions, pointerSegment } from '../../json-positions.js';
import type { FileId, Span } from '../../types.js';
import type { FrontedBySetting } from '../../workspace-model.js';

export interface FrontedByEntry {
  /** The key: a code folder, package, compose service or workload name. */
  name: string;
  setting: FrontedBySetting;
  /** The entry in the configuration file, when that file is in the workspace. */
  span?: Span;
  idleSpan?: Span;
  timeoutSpan?: Span;
}

export interface FrontedByModel {
  entries: FrontedByEntry[];
}

/** The configured entries, placed in the configuration file's text when the workspace holds it. */
export function buildFrontedByModel(settings: Readonly<Record<string, FrontedBySetting>>, config: { file: FileId; text: string } | undefined): FrontedByModel {
  const parsed = config ? parseJsonWithPositions(config.text) : undefined;
  const at = (pointer: string, key = false): Span | undefined => {
    const span = key ? parsed?.keySpans.get(pointer) : parsed?.valueSpans.get(pointer);
    return span && config ? { file: config.file, start: span.start, end: span.end } : undefined;
  };
  const entries = Object.entries(settings).map(([name, setting]): FrontedByEntry => {
    const entry: FrontedByEntry = { name, setting };
    const span = at(setting.pointer, true) ?? at(setting.pointer);
    const idleSpan = at(`${setting.pointer}/${pointerSegment('idleTimeout')}`);
    const timeoutSpan = at(`${setting.pointer}/${pointerSegment('timeout')}`);
    if (span) entry.span = span;
    if (idleSpan) entry.idleSpan = idleSpan;
    if (timeoutSpan) entry.timeoutSpan = timeoutSpan;
    return entry;
  });
  return { entries };
}
