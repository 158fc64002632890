// The position-exact nginx syntax tree: every directive, argument, block and comment has a span.
import type { FileId, Problem, Span } from '../../types.js';
import type { ContainerLayout } from './container-paths.js';

export interface NginxArg {
  /** The argument as crossplane reports it: surrounding quotes removed, escapes kept as written. */
  value: string;
  /** The whole token as written, quotes included. */
  span: Span;
  /** The quote character that delimited the token, if any. */
  quote: '"' | "'" | null;
  /** Set when envsubst placeholders in the token were replaced by static values: the value as written. */
  written?: string;
  /** The variables replaced in the token, with their values and where they are set. */
  substituted?: Array<EnvsubstValue & { name: string }>;
}

/** Where an envsubst variable's value is set: `the environment of compose service nginx (docker-compose.yml)`. */
export interface VariableOrigin {
  where: string;
  /** The entry that sets it, when it is written in the workspace (a compose environment entry). */
  span?: Span;
}

/** A static value of an envsubst variable and where it comes from. */
export interface EnvsubstValue extends VariableOrigin {
  value: string;
}

export interface NginxDirective {
  type: 'directive';
  name: string;
  /** Span of the directive name token (quotes included when the name was quoted). */
  nameSpan: Span;
  args: NginxArg[];
  /** 1-based line of the name's first character, counted the way crossplane counts (CR, LF, CRLF). */
  line: number;
  /** From the name's first character to the end of the terminating `;` or the block's closing `}`. */
  span: Span;
  /**
   * How the statement ended: ';', '{' (a block follows), or null when the parser had to recover
   * (end of file, or a `}` that closed the statement).
   */
  terminator: ';' | '{' | null;
  /** Present only when the statement ended with `{` (an empty block is `[]`). */
  block?: NginxNode[];
  /** Offset of the block's opening `{`. */
  blockOpen?: number;
  /** Offset of the block's closing `}`; undefined when the block was never closed. */
  blockClose?: number;
  /**
   * True for a statement that is only an envsubst placeholder (`${HTTPS_CONFIG}`): the renderer
   * replaces it with statements nobody can see here, so every setting of its block is unknown.
   */
  placeholder?: true;
  /**
   * For `include` directives: indexes into NginxConfig.files of the files it pulled in
   * (empty when a glob matched nothing or the file could not be read).
   */
  includes?: number[];
  /**
   * For `include` directives whose file could not be opened: the error in crossplane's words
   * (`[Errno 2] No such file or directory: 'x.conf'`), also reported as a Problem.
   */
  includeError?: string;
  /** For `include` directives: an absolute path that nothing in the workspace maps (its content is unknown). */
  includeUnmapped?: true;
  /** For `include` directives resolved through the container layout: the evidence, in words. */
  includeVia?: string;
}

export interface NginxComment {
  type: 'comment';
  /** Text after the `#`, leading space kept, line break excluded. */
  text: string;
  line: number;
  span: Span;
  /**
   * True for a comment written between a directive's arguments. It follows its directive in the
   * node list, and crossplane gives it the directive's line.
   */
  betweenArgs?: boolean;
}

export type NginxNode = NginxDirective | NginxComment;

/**
 * How deep blocks may nest, within one file and after includes are expanded. nginx has no limit,
 * but real configs nest a dozen levels at most (http, server, location, nested location, if); a
 * file nested thousands deep is hostile, and every walk over blocks stays shallow behind this cap.
 * Deeper blocks are left out and reported as not analysed.
 */
export const MAX_BLOCK_DEPTH = 100;

export interface NginxFile {
  file: FileId;
  /** The decoded text (BOM stripped) that every span refers to. */
  text: string;
  hadBom: boolean;
  nodes: NginxNode[];
  /** Syntax problems of this file (include problems are attached to the including file). */
  problems: Problem[];
  /** The file's `include` directives in document order (an index the parser fills in). */
  includeDirectives?: NginxDirective[];
  /** What crossplane would make of this file; read only by toCrossplanePayload. */
  crossplane?: CrossplaneFacts;
}

/**
 * Where crossplane (analyzer off) would differ from this tree. Our parser recovers where
 * crossplane gives up, and follows nginx where crossplane has quirks, so the conformance payload
 * needs these facts to reproduce crossplane's output.
 */
export interface CrossplaneFacts {
  /** The error that makes crossplane discard the file's statements (its `parsed` becomes []). */
  fatal?: CrossplaneFatal;
  /**
   * True when crossplane's statements differ from `nodes` (a BOM, a token cut off at end of file,
   * `${x} ` gluing, a missing `;` before `}`, Lua long brackets, a stray `;` or `{`): the payload
   * then re-parses the text in crossplane mode.
   */
  reparse: boolean;
}

export interface CrossplaneFatal {
  /** crossplane's reason, e.g. `unexpected "}"`; '' for its bare StopIteration at end of file. */
  reason: string;
  /** `<reason> in <file>:<line>`, `<reason> in None:<line>` (Lua block errors), or the bare reason. */
  format: 'file' | 'none' | 'bare';
  line: number | null;
  /** Offset where crossplane stopped: only statements whose terminator lies before it were processed. */
  offset: number;
}

export interface NginxConfig {
  /** The entry file, first in `files`. */
  entry: FileId;
  /** Every file read, in crossplane's discovery order (entry first, then includes breadth-first). */
  files: NginxFile[];
  /** All problems of all files, in file order. */
  problems: Problem[];
  /**
   * Each file's path as crossplane spells it (the include pattern joined to the entry's directory,
   * or the glob match), parallel to `files`. Only the conformance payload uses it.
   */
  includedAs?: string[];
}

export interface NginxParseOptions {
  /**
   * Workspace directory that absolute include paths resolve against (`include /etc/nginx/x.conf`
   * reads `<prefix>/etc/nginx/x.conf`). Undefined means absolute includes resolve to nothing,
   * which is how the conformance corpus was produced. Never the real filesystem root.
   */
  absoluteIncludePrefix?: FileId;
  /** Follow include directives (default true). */
  followIncludes?: boolean;
  /** Container paths (mounts, image copies, rendered templates) that absolute and prefix-relative includes resolve through. */
  layout?: ContainerLayout;
  /**
   * envsubst variables with static values per template file: placeholders in its arguments are
   * replaced by them (`${READ_TIMEOUT}` → `30s`), each replaced argument keeping what was written.
   */
  variablesOf?: (file: FileId) => ReadonlyMap<string, EnvsubstValue> | undefined;
}
