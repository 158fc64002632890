// Traefik configured from a compose file: `traefik.*` labels on a service (the Docker provider's dynamic configuration) and `--…` flags on the Traefik container (its static configuration).
import type { ComposeService } from '../../yaml/compose.js';
import type { FileId } from '../../types.js';
import { dynamicOf, staticOf, type TraefikFacts, type TraefikService } from './facts.js';
import { treeOfDotted, type DottedSetting } from './sources.js';

/** True when a compose file mentions Traefik at all: the cheap test before its services are read. */
export function mentionsTraefik(text: string): boolean {
  return /traefik/i.test(text);
}

/** What a compose service's labels and command say about Traefik, added to `into`. */
export function composeServiceFacts(file: FileId, service: ComposeService, into: TraefikFacts): void {
  const labels: DottedSetting[] = service.labels.map((l) => ({ key: l.key, keySpan: l.keySpan, value: l.value, valueSpan: l.valueSpan, unresolved: l.unresolved }));
  if (labels.some((l) => l.key.toLowerCase().startsWith('traefik.'))) labelFacts(file, service, labels, into);
  const flags = service.command.flatMap((word): DottedSetting[] => {
    const match = /^--([^=]+)=(.*)$/.exec(word.text);
    if (!match) return [];
    const keyStart = word.span.start + 2;
    const inSource = word.span.end - word.span.start === word.text.length;
    const valueStart = word.span.start + 3 + match[1]!.length;
    return [{
      key: `--${match[1]!}`,
      keySpan: inSource ? { file, start: word.span.start, end: keyStart + match[1]!.length } : word.span,
      value: match[2]!,
      valueSpan: inSource ? { file, start: valueStart, end: word.span.end } : word.span,
      unresolved: /\$\{?[A-Za-z_]/.test(match[2]!),
    }];
  });
  // The Traefik container's own flags are its static configuration (`--entrypoints.web.address=:80`).
  if (flags.some((f) => /^--(entrypoints|serverstransport|providers\.file)\./i.test(f.key))) {
    const found = staticOf(file, treeOfDotted(flags, '--', service.span));
    if (found) into.statics.push({ ...found, composeService: service.name });
  }
}

function labelFacts(file: FileId, service: ComposeService, labels: DottedSetting[], into: TraefikFacts): void {
  const enable = labels.find((l) => l.key.toLowerCase() === 'traefik.enable');
  if (enable && enable.value.trim().toLowerCase() === 'false') return;
  const tree = treeOfDotted(labels, 'traefik.', service.span);
  const before = into.services.length;
  const routersBefore = into.routers.length;
  dynamicOf(file, tree, 'docker', into, service.name);
  const declared = into.services.slice(before);
  // Routers without a service label, and a container with no service label at all, get the
  // service Traefik makes for the container, named after it (Docker provider).
  if (declared.length === 0 && into.routers.length > routersBefore) {
    const implicit: TraefikService = { name: service.name, provider: 'docker', span: service.nameSpan, servers: [], composeService: service.name };
    into.services.push(implicit);
    declared.push(implicit);
  }
  for (const declaredService of declared) declaredService.servers.push(containerServer(service, labels, declaredService.name));
}

/** The container as the service's one server: port from `loadbalancer.server.port`, else its one published port. */
function containerServer(service: ComposeService, labels: DottedSetting[], serviceName: string): TraefikService['servers'][number] {
  const portKey = `traefik.http.services.${serviceName}.loadbalancer.server.port`.toLowerCase();
  const label = labels.find((l) => l.key.toLowerCase() === portKey);
  const server: TraefikService['servers'][number] = { span: label?.valueSpan ?? service.nameSpan, host: service.name.toLowerCase(), unresolved: false };
  if (label) {
    if (label.unresolved || !/^\d+$/.test(label.value.trim())) server.unresolved = label.unresolved;
    else server.port = Number(label.value.trim());
    server.portEvidence = { text: `port ${label.value} from the label ${label.key}`, span: label.valueSpan };
    return server;
  }
  const targets = [...new Set(service.ports.map((p) => p.target).filter((t): t is string => t !== undefined && /^\d+$/.test(t)))];
  if (targets.length === 1) {
    server.port = Number(targets[0]);
    const port = service.ports.find((p) => p.target === targets[0])!;
    server.portEvidence = { text: `port ${targets[0]} of compose service ${service.name} (its only port)`, span: port.span };
  }
  return server;
}
