// The contract every input (nginx, Kubernetes, compose, TypeScript, …) keeps: which files it reads, how it reads them into its model, and what it adds to call chains.
//
// The runner (run.ts), the parse cache and the chain walk iterate the registry (inputs/index.ts) and
// name no input. An input's folder holds its parser, facts, model, hop builders, the targets it
// offers for an address and the code it runs (see CONTRIBUTING.md, "Adding an input").
import type { ChainLinker, Walker } from '../chain/walk.js';
import type { ResolvedConfig } from '../config.js';
import type { StopCheck } from '../run-deadline.js';
import type { DecodedText } from '../text.js';
import type { Language } from '../report.js';
import type { FileId, Problem, Related, Span } from '../types.js';
import type { FileStat, WorkspaceFs } from '../workspace-fs.js';
import type { InputModels, WorkspaceModel } from '../workspace-model.js';
import type { YamlFile } from '../yaml/file.js';
import type { DatabaseSettings } from '../database-settings.js';

export type InputId = keyof InputModels & string;


/**
 * How an input claims a file by its path: `name` (its own: `nginx.conf`, `compose.yaml`, `*.ts`;
 * the first input in registry order that claims a file by name takes it), `content` (it may be
 * its own: the text decides, through {@link Input.accepts}), or undefined (not its own).
 */
export type Claim = 'name' | 'content' | undefined;

export interface ClaimContext {
  readonly config: ResolvedConfig;
  /** The user named the file (on the command line, in `nginx.files`): an input may take it on weaker evidence. */
  readonly explicit: boolean;
}

/** What a reader gets from the run: bounded, stop-checked reads, the run's cache, and where problems and sources go. */
export interface ReadContext {
  readonly config: ResolvedConfig;
  readonly explicitFiles: ReadonlySet<FileId> | undefined;
  /** The run's file system: each file read once per run, refused when huge or binary (and then listed as not analysed). */
  readonly fs: WorkspaceFs;
  /** The front end's own stat, without reading (a lazy reader skips what did not change). */
  stat(file: FileId): FileStat | undefined;
  /** Lets the front end drop its copy of a file the reader will not need again. */
  release(file: FileId): void;
  /** The reader's slice of the long-lived parse cache, when the front end keeps one. */
  readonly cache: InputCache | undefined;
  readonly stop: StopCheck;
  /** True when an enabled rule reads this input: an input may leave unread what nobody looks at. */
  readonly wanted: boolean;
  /** Text of a file through `fs`, decoded once per run. */
  readText(file: FileId): DecodedText | undefined;
  /** Every candidate file of the run (an input may read files other inputs claim, as an nginx container's compose file). */
  readonly candidates: readonly FileId[];
  /** A YAML file parsed once per run (and kept by the parse cache), whichever inputs read it. */
  yaml(file: FileId): YamlFile | undefined;
  /** Records a read file as analysed (shown in output, edited by fixes), as the input's language unless another is given (a package.json the TypeScript input reads). */
  addSource(file: FileId, decoded: Pick<DecodedText, 'text' | 'eol' | 'hadInvalidUtf8'>, language?: string): void;
  hasSource(file: FileId): boolean;
  /** The decoded text of a file recorded as analysed (by any input). */
  sourceText(file: FileId): string | undefined;
  /** Reports parse problems; relative include targets in messages resolve against `includeBase`. */
  reportProblems(problems: readonly Problem[], includeBase?: string): void;
  notAnalysed(file: FileId, reason: string): void;
  /**
   * Hands a text this input derived from workspace files (a rendered Helm template, the nginx
   * config inside a ConfigMap) to the inputs that claim it, as if it were a file. Derived during
   * `take`, it goes to every other input; during `build`, to the inputs after this one in the
   * registry. Findings in it are placed back on the files it came from ({@link DerivedSource.origin}).
   */
  derive(source: DerivedSource): void;
  /**
   * What the front end computed ahead for this input's {@link Input.precompute} on exactly this
   * text (on another thread, while the run read other files), or undefined: then compute it here.
   */
  precomputed(file: FileId, text: string): unknown;
}

/**
 * Per-file work of an input that a front end may run ahead, elsewhere (a worker thread of the CLI):
 * a pure function of the file's name and text, whose result survives a structured clone. The
 * reader still decides what to use; a result is only ever used for the text it was made from.
 */
export interface Precompute {
  /** Whether the file's text is worth the work (the reader's own pre-scan). */
  wants(file: FileId, text: string): boolean;
  compute(file: FileId, text: string): unknown;
}

/** A text derived from workspace files, read by other inputs; what they find in it is placed back where it came from. */
export interface DerivedSource {
  /** A name no workspace file has, that still says what it is: `charts/api/templates/ingress.yaml@values.yaml`. */
  file: FileId;
  text: string;
  /** The workspace range a derived range comes from, or undefined when it cannot be placed more precisely than {@link fallback}. */
  origin(start: number, end: number): Span | undefined;
  /** Where a finding that cannot be placed lands (the template or ConfigMap key it was derived from). */
  fallback: Span;
  /**
   * The workspace range a derived range is a verbatim copy of (a value copied from a values file),
   * so a fix's edit there can be made in the workspace file instead; undefined when it is not one.
   */
  copiedFrom?(start: number, end: number): Span | undefined;
  /** More places a finding in a derived range rests on (the values line that set it), shown as related locations. */
  related?(start: number, end: number): Related[];
}

/** A reader for one run: takes the input's files in workspace order, then builds the model. */
export interface InputReader<Model> {
  /** One claimed file; `text` when the runner already read it to decide a content claim. */
  take(file: FileId, text: DecodedText | undefined): void;
  /** The input's model from what it took; problems go to the context. */
  build(): Model;
}

/** An input's slice of the parse cache: results by file, valid while what they were made from is the same. */
export interface InputCache {
  /** A result made from one file's text, reused while the text is the same. */
  byText<T>(file: FileId, text: string, make: () => T): T;
  /**
   * A result made through the file system (an nginx entry and its includes), reused while every file,
   * stat and listing it read answers the same and `variant` (a setting it depends on) is the same.
   */
  byAnswers<T>(file: FileId, variant: string, fs: WorkspaceFs, make: (fs: WorkspaceFs) => T): T;
  /** A result derived from a cached one, made once per cached object. */
  derived<K extends object, T>(of: K, make: () => T): T;
  /**
   * When the file was skipped with this stamp (size and modification time) before: the relative
   * import specifiers it was skipped with (a later pass may still want a file that imports a module
   * holding clients); undefined when it was not skipped with this stamp.
   */
  skippedImports(file: FileId, stamp: string): readonly string[] | undefined;
  markSkipped(file: FileId, stamp: string, imports: readonly string[]): void;
}

export interface Input<Id extends InputId = InputId> {
  readonly id: Id;
  /** How its files are shown (report `files[].language`). */
  readonly language: Language;
  claim(file: FileId, context: ClaimContext): Claim;
  /** For a `content` claim: a cheap look at the text. */
  accepts?(file: FileId, text: string, context: ClaimContext): boolean;
  reader(context: ReadContext): InputReader<InputModels[Id]>;
  /** The model of a run that read none of the input's files. */
  empty(): InputModels[Id];
  /** True when the model holds something rules could look at (rules whose inputs are all absent do not run). */
  present(model: InputModels[Id]): boolean;
  /** Per-file work a front end may run ahead for the files this input claims by name. */
  readonly precompute?: Precompute;
  /** Server-side database settings its files hold (a postgresql.conf, `ALTER ROLE … SET` in a migration): the database hop's bounds when the client sets none. */
  databaseSettings?(model: InputModels[Id]): DatabaseSettings;
  /** What the input adds to a call-chain walk. */
  linker?(model: InputModels[Id], walker: Walker, workspace: WorkspaceModel): ChainLinker;
}

/** Keeps an input's type parameter when it is put in the registry list. */
export function defineInput<Id extends InputId>(input: Input<Id>): Input<Id> {
  return input;
}
