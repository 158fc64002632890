// The derived model of a whole workspace that rules read: each input's model, linked together by the chain walk.
import type { FileId, Span } from './types.js';

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
  /**
   * Where a span of a derived text (a rendered Helm or Ansible template) is written in the workspace:
   * the template's own place. Absent when the run derived nothing; findings are placed by the run,
   * and what shows chains (CLI `chains`, hover) places hop locations with it.
   */
  placeSpan?: (span: Span) => Span;
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
    /**
     * Code folder, package, compose service or workload name → the load balancer in front of it that
     * the workspace does not declare (`chains.frontedBy`): a named platform, with values it overrides.
     */
    frontedBy: Readonly<Record<string, FrontedBySetting>>;
  };
  /** The nginx version the configuration targets (`nginx.version`), when it names one. */
  nginxVersion?: string;
}

/** A load balancer in front of some code, as the configuration names it (`chains.frontedBy`). */
export interface FrontedBySetting {
  /** A platform name (`aws-alb`, `gcp-https-lb`, `cloudflare`, …; see FRONTED_BY_KINDS in config.ts). */
  kind: string;
  /** The idle timeout the user gives, in milliseconds (overrides the platform's default). */
  idleTimeoutMs?: number;
  /** The request (response) timeout the user gives, in milliseconds. */
  timeoutMs?: number;
  /** JSON pointer of the entry in the configuration file, for spans when the file is in the workspace. */
  pointer: string;
}
