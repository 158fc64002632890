// The position-exact HAProxy configuration tree: sections, statements, words and conditional blocks, each with a span.
import type { FileId, Problem, Span } from '../../types.js';

/** An environment variable reference inside double quotes (`"${VAR}"`, `"$VAR"`, `"${VAR-default}"`, `"${VAR[*]}"`). */
export interface HaproxyEnvRef {
  name: string;
  /** From the `$` to the closing brace (or the end of the name). */
  span: Span;
  /** The text after `-` in `${VAR-default}`: used by HAProxy only when VAR is not set at all. */
  defaultValue?: string;
  /** `${VAR[*]}`: a value with spaces becomes several words. */
  wordExpand: boolean;
  /** The value used: from the caller's environment, or a pseudo-variable (`.LINE`, `.FILE`, `.SECTION`). */
  value?: string;
}

export interface HaproxyWord {
  /**
   * The word as HAProxy sees it after quotes and escapes are removed. An environment variable the
   * caller gave no value for contributes nothing to it (and `unresolved` is set).
   */
  value: string;
  /** The token as written, quotes and escapes included. */
  span: Span;
  /** True when any part of the token was quoted (`"…"` or `'…'`). */
  quoted: boolean;
  /** Environment variables the token references, in order. */
  envRefs?: HaproxyEnvRef[];
  /**
   * `value` is not what HAProxy will see: a referenced environment variable has no known value, or
   * the token holds a template expression (`{{ timeout }}`) filled in before HAProxy reads the file.
   */
  unresolved?: boolean;
}

export type HaproxyModifier = 'no' | 'default';

export interface HaproxyStatement {
  /** Every word of the line in order, a `no`/`default` modifier included. */
  words: HaproxyWord[];
  /** The first word after the modifier (`option` in `no option redispatch`); '' for a line that has no word. */
  keyword: string;
  modifier: HaproxyModifier | null;
  /** The arguments after the keyword. */
  args: HaproxyWord[];
  /** From the first word's start to the last word's end (a trailing comment excluded). */
  span: Span;
  /** 1-based line number. */
  line: number;
  /** The innermost conditional branch the line lies in. */
  branch?: HaproxyBranch;
  /**
   * Why HAProxy refuses this line (an unmatched quote, a bad escape). The line is kept with the
   * words read before the error, and the model ignores it, as HAProxy does.
   */
  error?: string;
}

/** Whether the lines of a branch are read by HAProxy, as far as the linter can evaluate the conditions. */
export type HaproxyReach = 'always' | 'never' | 'conditional';

/** One `.if`, `.elif` or `.else` of a conditional block, up to the next branch or `.endif`. */
export interface HaproxyBranch {
  directive: '.if' | '.elif' | '.else';
  /** The condition as HAProxy evaluates it: the words after the directive joined by one space ('' for `.else`). */
  condition: string;
  /** The directive line. */
  span: Span;
  /**
   * The branch's own condition: true or false when it is an integer literal or empty (HAProxy:
   * `0` and '' are false, any other integer true), undefined when it needs the running HAProxy
   * (environment variables, versions, features).
   */
  evaluated?: boolean;
  /**
   * Whether HAProxy reads this branch's lines, taking the enclosing branches and the earlier
   * branches of the same block into account.
   */
  reach: HaproxyReach;
  block: HaproxyConditional;
}

export interface HaproxyConditional {
  branches: HaproxyBranch[];
  /** The branch this block is nested in. */
  parent?: HaproxyBranch;
  /** The `.endif` line; undefined when the file ended first. */
  endSpan?: Span;
}

/** The section keywords HAProxy registers; only the proxy sections are modelled, the others are kept as they are. */
export type HaproxySectionKind = 'global' | 'defaults' | 'frontend' | 'backend' | 'listen' | (string & {});

export interface HaproxySection {
  kind: HaproxySectionKind;
  /** The section line (`frontend web from base`). */
  header: HaproxyStatement;
  /** The section's name (`web`); undefined for `global` and anonymous `defaults`. */
  name?: HaproxyWord;
  /** The defaults section named after `from`. */
  from?: HaproxyWord;
  /** The statements up to the next section line, in order (directive lines `.if` … excluded). */
  statements: HaproxyStatement[];
  /** From the header's start to the end of the last statement. */
  span: Span;
  /** True for the proxy sections the model reads (`defaults`, `frontend`, `backend`, `listen`). */
  proxy: boolean;
}

export interface HaproxyFile {
  file: FileId;
  /** The text every span refers to (BOM stripped by the caller). */
  text: string;
  sections: HaproxySection[];
  /** Statements before the first section: HAProxy refuses them ("unknown keyword out of section"). */
  outside: HaproxyStatement[];
  /** Every conditional block, outermost first in document order. */
  conditionals: HaproxyConditional[];
  /** `[scope]` lines (HAProxy's scope markers for its own error messages). */
  scopes: Span[];
  /** The spans of `#` comments. */
  comments: Span[];
  problems: Problem[];
}

export interface HaproxyParseOptions {
  /**
   * Environment variable values to expand in double quotes. A variable missing from it stays
   * unresolved: its value comes from the environment HAProxy runs in, which the linter cannot see.
   */
  env?: ReadonlyMap<string, string>;
}
