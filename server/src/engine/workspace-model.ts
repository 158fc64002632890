// The derived model of a whole workspace that rules read: per-file facts linked together.
import type { CodePackage } from './inputs/ts/packages.js';
import type { K8sModel } from './inputs/k8s/model.js';
import type { NginxModel } from './inputs/nginx/model.js';
import type { TsFileFacts } from './inputs/ts/facts.js';
import type { FileId } from './types.js';

export interface SourceText {
  file: FileId;
  text: string;
  eol: '\n' | '\r\n';
}

export interface WorkspaceModel {
  /** One model per nginx entry (a full nginx.conf or a standalone fragment), with includes expanded. */
  nginx: NginxModel[];
  /** Every Kubernetes object of the workspace, linked by namespace and name. */
  k8s: K8sModel;
  /** Facts of every TypeScript/JavaScript file the pre-scan let through, by file. */
  ts: { files: ReadonlyMap<FileId, TsFileFacts> };
  /** The packages (folders with a package.json) the analysed sources belong to, for linking workloads to code. */
  packages: readonly CodePackage[];
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
