// The derived model of a whole workspace that rules read: each input's model, linked together by the chain walk.
import type { FileId } from './types.js';

export interface SourceText {
  file: FileId;
  text: string;
  eol: '\n' | '\r\n';
}

/**
 * Each input's model by input id. Every input adds its own entry from its folder
 * (`declare module '../../workspace-model.js' { interface InputModels { nginx: NginxModel[] } }`),
 * so adding an input touches no shared file but the registry.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface InputModels {}

export interface WorkspaceModel extends InputModels {
  /** Decoded text of every analysed file, for fixes that need indentation or line endings. */
  sources: ReadonlyMap<FileId, SourceText>;
  /** Settings shared by several rules (LLM route patterns, …). */
  settings: SharedSettings;
}

export interface SharedSettings {
  llm: {
    /** Regular expressions (source text) matched against location paths and proxy targets. */
    pathPatterns: string[];
    upstreamPatterns: string[];
    streamingPathPatterns: string[];
  };
  chains: {
    /** Workload/container/compose service name → code folder. */
    services: Readonly<Record<string, string>>;
  };
  /** The nginx version the configuration targets (`nginx.version`), when it names one. */
  nginxVersion?: string;
}
