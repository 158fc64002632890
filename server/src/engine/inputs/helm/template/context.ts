// The top-level data Helm passes to every template: .Values, .Chart, .Release, .Capabilities, .Files, .Template.
import { RE2JS } from 're2js';
import { base64Encode } from './digest.js';
import { toYaml } from './encode.js';
import { mapMethods } from './render-types.js';
import { fromPlain, GoMethod, GoStruct, Unresolved, type GoMap, type Value } from './values.js';

/** What a chart's non-template files hold, read on demand (bounded by the caller and by the render's output bound). */
export interface ChartFileReader {
  /** The text of a chart file by chart-relative path; null when the chart has no such file; `{ unresolved }` when it cannot be read. */
  read(path: string): string | null | { unresolved: string };
  /** Chart-relative paths of the files `.Files.Glob` may match (Helm: everything but templates/ and .helmignore'd files). */
  list?(): string[];
}

export interface ReleaseInfo {
  name?: string;
  namespace?: string;
  service?: string;
  isInstall?: boolean;
  isUpgrade?: boolean;
  revision?: number;
}

export interface CapabilitiesInfo {
  /** e.g. "v1.31.0" or "v1.28.3-gke.1286000". */
  kubeVersion?: string;
  /** Group/versions (and group/version/Kind entries) `.Capabilities.APIVersions.Has` answers true for. */
  apiVersions?: readonly string[];
  helmVersion?: string;
}

export interface RenderContextInput {
  values: GoMap;
  /** Chart.yaml's contents (plain data: name, version, appVersion, …). */
  chart?: Record<string, unknown>;
  /** Why `.Chart` cannot be known (Chart.yaml is not there to read): every field of it is then unresolved, never empty. */
  chartUnknown?: string;
  release?: ReleaseInfo;
  capabilities?: CapabilitiesInfo;
  files?: ChartFileReader;
}

/** `helm template`'s defaults when no cluster is asked: release "release-name" in "default", a fresh install. */
export const DEFAULT_RELEASE: Required<ReleaseInfo> = { name: 'release-name', namespace: 'default', service: 'Helm', isInstall: true, isUpgrade: false, revision: 1 };

/** The Kubernetes version assumed when none is configured (Helm derives its default from its client library version). */
export const DEFAULT_KUBE_VERSION = 'v1.31.0';

/** Built-in API group/versions of a current cluster, with the kinds charts most often test for. */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'apps/v1',
  'batch/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'policy/v1',
  'networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1',
  'storage.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'admissionregistration.k8s.io/v1',
  'apiregistration.k8s.io/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'certificates.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1',
  'node.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'v1/ConfigMap',
  'v1/Secret',
  'v1/Service',
  'v1/Pod',
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'networking.k8s.io/v1/Ingress',
  'networking.k8s.io/v1/IngressClass',
  'networking.k8s.io/v1/NetworkPolicy',
  'policy/v1/PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler',
];

/** Chart.yaml keys and the Go field names templates use (`.Chart.AppVersion`). */
const CHART_FIELDS: [string, string, Value][] = [
  ['name', 'Name', ''],
  ['home', 'Home', ''],
  ['sources', 'Sources', null],
  ['version', 'Version', ''],
  ['description', 'Description', ''],
  ['keywords', 'Keywords', null],
  ['maintainers', 'Maintainers', null],
  ['icon', 'Icon', ''],
  ['apiVersion', 'APIVersion', ''],
  ['condition', 'Condition', ''],
  ['tags', 'Tags', ''],
  ['appVersion', 'AppVersion', ''],
  ['deprecated', 'Deprecated', false],
  ['annotations', 'Annotations', null],
  ['kubeVersion', 'KubeVersion', ''],
  ['dependencies', 'Dependencies', null],
  ['type', 'Type', ''],
];

export interface RenderBudget {
  fileCharsLeft: number;
}

/** Builds the top-level data of one template's render (`.Template` names the template being rendered). */
export function buildTopLevel(input: RenderContextInput, template: { name: string; basePath: string }, budget: RenderBudget): GoMap {
  const release = { ...DEFAULT_RELEASE, ...input.release };
  const chartFields = new Map<string, Value>(CHART_FIELDS.map(([key, field, zero]) => [field, input.chart && Object.hasOwn(input.chart, key) ? fromPlain(input.chart[key]) : zero]));
  chartFields.set('IsRoot', true);
  return new Map<string, Value>([
    ['Values', input.values],
    ['Chart', input.chartUnknown !== undefined ? new Unresolved(input.chartUnknown) : new GoStruct('chart.Metadata', chartFields)],
    [
      'Release',
      new Map<string, Value>([
        ['Name', release.name],
        ['Namespace', release.namespace],
        ['Service', release.service],
        ['IsInstall', release.isInstall],
        ['IsUpgrade', release.isUpgrade],
        ['Revision', BigInt(release.revision)],
      ]),
    ],
    ['Capabilities', capabilities(input.capabilities ?? {})],
    ['Files', filesMap(new Map(), input.files, budget)],
    [
      'Template',
      new Map<string, Value>([
        ['Name', template.name],
        ['BasePath', template.basePath],
      ]),
    ],
    ['Subcharts', new Map()],
  ]);
}

function capabilities(info: CapabilitiesInfo): GoStruct {
  const gitVersion = info.kubeVersion ?? DEFAULT_KUBE_VERSION;
  const match = /^v?(\d+)\.(\d+)/.exec(gitVersion);
  const kube = new GoStruct(
    'chartutil.KubeVersion',
    new Map<string, Value>([
      ['Version', gitVersion],
      ['Major', match?.[1] ?? ''],
      ['Minor', match?.[2] ?? ''],
      ['GitVersion', gitVersion],
    ]),
    gitVersion,
  );
  const versions = new Set(info.apiVersions ?? DEFAULT_API_VERSIONS);
  const apiVersions = new GoStruct('chartutil.VersionSet', new Map<string, Value>([['Has', new GoMethod('Has', (args) => (typeof args[0] === 'string' ? versions.has(args[0]) : false))]]), `[${[...versions].join(' ')}]`);
  const helm = new GoStruct('helmversion.BuildInfo', new Map<string, Value>([['Version', info.helmVersion ?? 'v3.16.0']]));
  return new GoStruct(
    'chartutil.Capabilities',
    new Map<string, Value>([
      ['KubeVersion', kube],
      ['APIVersions', apiVersions],
      ['HelmVersion', helm],
    ]),
  );
}

const MAX_GLOB_FILES = 1000;

/** Helm's `.Files` (a map of path to content with methods), reading through the injected reader. */
function filesMap(contents: GoMap, reader: ChartFileReader | undefined, budget: RenderBudget): GoMap {
  const read = (path: Value): Value => {
    if (typeof path !== 'string') return '';
    if (contents.has(path)) return contents.get(path)!;
    if (!reader) return new Unresolved(`chart file ${path} cannot be read here`);
    const text = reader.read(path);
    if (text === null) return '';
    if (typeof text !== 'string') return new Unresolved(text.unresolved);
    budget.fileCharsLeft -= text.length;
    if (budget.fileCharsLeft < 0) return new Unresolved(`reading chart file ${path} exceeds the render's size bound`);
    return text;
  };
  const methods = new Map<string, GoMethod>([
    ['Get', new GoMethod('Get', ([path]) => read(path ?? null))],
    ['GetBytes', new GoMethod('GetBytes', ([path]) => read(path ?? null))],
    [
      'Lines',
      new GoMethod('Lines', ([path]) => {
        const text = read(path ?? null);
        if (typeof text !== 'string') return text;
        if (text === '') return [];
        return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
      }),
    ],
    [
      'Glob',
      new GoMethod('Glob', ([pattern]) => {
        if (typeof pattern !== 'string') return filesMap(new Map(), reader, budget);
        const names = contents.size > 0 ? [...contents.keys()] : (reader?.list?.() ?? []);
        const matcher = globMatcher(pattern);
        if (!matcher) return new Unresolved(`glob ${JSON.stringify(pattern)} cannot be evaluated`);
        const matched: GoMap = new Map();
        for (const name of names.filter((n) => matcher(n)).slice(0, MAX_GLOB_FILES)) {
          const text = read(name);
          if (text instanceof Unresolved) return text;
          matched.set(name, text);
        }
        return filesMap(matched, reader, budget);
      }),
    ],
    ['AsConfig', new GoMethod('AsConfig', () => asConfig(contents, false))],
    ['AsSecrets', new GoMethod('AsSecrets', () => asConfig(contents, true))],
  ]);
  mapMethods.set(contents, methods);
  return contents;
}

function asConfig(contents: GoMap, secret: boolean): Value {
  const out: GoMap = new Map();
  for (const [path, text] of contents) {
    if (typeof text !== 'string') return new Unresolved(`chart file ${path} cannot be read`);
    out.set(path.slice(path.lastIndexOf('/') + 1), secret ? base64Encode(text) : text);
  }
  return out.size === 0 ? '' : toYaml(out);
}

/** gobwas/glob with '/' as separator, as Helm's Files.Glob uses: `*` stays within a path segment, `**` crosses them. Runs on RE2. */
function globMatcher(pattern: string): ((name: string) => boolean) | undefined {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else source += '[^/]*';
    } else if (c === '?') source += '[^/]';
    else if (c === '{') source += '(?:';
    else if (c === '}') source += ')';
    else if (c === ',' && source.includes('(?:')) source += '|';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) return undefined;
      source += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = close;
    } else source += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  try {
    const re = RE2JS.compile(`^(?:${source})$`, RE2JS.DOTALL);
    return (name) => re.test(name);
  } catch {
    return undefined;
  }
}
