// Turns spans into the "file:line" places that messages name.
import { LineIndex, type Span, type WorkspaceModel } from '../../server/src/engine/rule-api.js';

const indexes = new WeakMap<object, Map<string, LineIndex>>();

/** `nginx/gateway.conf:14`: the 1-based line of the span's start. */
export function placeOf(model: WorkspaceModel, span: Span): string {
  let perModel = indexes.get(model.sources);
  if (!perModel) {
    perModel = new Map();
    indexes.set(model.sources, perModel);
  }
  let index = perModel.get(span.file);
  if (!index) {
    index = new LineIndex(model.sources.get(span.file)?.text ?? '');
    perModel.set(span.file, index);
  }
  return `${span.file}:${index.positionAt(span.start).line + 1}`;
}

/**
 * A hop or object name for a message's headline (engine/headline.ts), short enough that the headline
 * shows whole in VS Code's Problems view: asides in parentheses and URL schemes dropped, an object's
 * namespace and an Ingress rule's path dropped (`Ingress shop/chat path /api` → `Ingress chat`), an
 * nginx location named by its server alone (`nginx location /v1/chat/completions` → `nginx`; the
 * finding's range is on it), a platform without what it fronts (`AWS ALB in front of api` → `AWS ALB`),
 * a Traefik router by its name alone (`Traefik router chat@docker` → `Traefik chat`), an outbound call named by its host (`fetch GET
 * user-api.shop.svc.cluster.local/v1/users` → `fetch GET user-api`). The full label stays in the
 * message's details and related information. Names are never cut: a name cut
 * mid-word would no longer be the name the workspace spells.
 */
export function headlineName(label: string): string {
  return label
    .replace(/\s*\([^()]*\)/g, '')
    .replace(/\bhttps?:\/\//g, '')
    .replace(OBJECT_NAMESPACE, '$1 ')
    .replace(/^(Ingress \S+) path \S+/, '$1')
    .replace(/^nginx location .*/, 'nginx')
    .replace(/ in front of \S+$/, '')
    .replace(/^(Elastic Beanstalk (?:ALB|Classic ELB)) of .*/, '$1')
    .replace(/^Traefik router ([^@\s]+)@\S+/, 'Traefik $1')
    .replace(CALL_URL, (_all, method: string, host: string) => `${method} ${shortHost(host)}`)
    .trim();
}

/** `Kind namespace/name`: a Kubernetes kind (a capitalised word with lower case in it, so not `GET`) and a DNS-label namespace. */
const OBJECT_NAMESPACE = /\b([A-Z][A-Za-z]*[a-z][A-Za-z]*) [a-z0-9][a-z0-9-]*\/(?=[A-Za-z0-9])/g;

/** An HTTP method followed by a host and a path: the host alone names the callee in a headline. */
const CALL_URL = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) ([A-Za-z0-9$][^\s/]*)\/\S*/g;

/** A cluster-local Service host (`user-api.shop.svc.cluster.local`) is the Service's name in a headline. */
function shortHost(host: string): string {
  return host.replace(/\.[a-z0-9-]+\.svc(\.cluster\.local)?(?=$|:)/, '').replace(/\.svc(\.cluster\.local)?(?=$|:)/, '');
}

/**
 * An annotation key without its prefix (`nginx.ingress.kubernetes.io/proxy-read-timeout` →
 * `proxy-read-timeout`), for the headline of a rule about one controller, whose prefix the rest of
 * the message spells out.
 */
export function shortKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/**
 * The host (and port) of a URL a call names, for a headline (`https://user-api/v1/users` →
 * `user-api`); a same-origin path (`/api/chat`) is its own short name.
 */
export function urlHost(url: string): string {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (rest.startsWith('/') || rest === url) return url;
  return shortHost(rest.split('/')[0]!);
}
