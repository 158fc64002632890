// Whether a gateway's backend names a port its Service exposes: an Ingress or HTTPRoute reaches a Service only through one of `spec.ports`.
import type { ServiceFacts } from './model.js';
import type { Span } from '../../types.js';

/** A backend's port as written: a number (`port.number`, `backendRefs[].port`) or a Service port name (`port.name`). */
export interface BackendPort {
  text: string;
  number?: number;
  name?: string;
  unresolved?: boolean;
  /** Where the port is written: the place an unresolved link points at. */
  span?: Span;
}

/**
 * Why `port` is not a port `service` exposes, in words for an unresolved link; undefined when it is,
 * or when that cannot be told (no port written, a template value, a Service without `ports`). A
 * `targetPort` is where the Service sends traffic, not a port it listens on: naming one is the
 * mistake the message points at.
 */
export function unexposedPort(service: ServiceFacts, port: BackendPort | undefined, backend: string): string | undefined {
  if (!port || port.unresolved || service.ports.length === 0 || service.type === 'ExternalName') return undefined;
  const exposed = service.ports.some((p) => (port.number !== undefined ? p.port?.value === port.number : port.name !== undefined && p.name?.text === port.name));
  if (exposed) return undefined;
  const label = `Service ${service.object.namespace}/${service.object.name?.text ?? '?'}`;
  const list = service.ports.map((p) => `${p.port?.text ?? '?'}${p.name ? ` (${p.name.text})` : ''}`).join(', ');
  const target = service.ports.find((p) => (port.number !== undefined ? p.targetPort?.number === port.number : port.name !== undefined && p.targetPort?.name === port.name));
  const hint = target ? `; ${port.text} is the targetPort of its port ${target.port?.text ?? '?'}, and a backend must name the Service port` : '';
  return `${backend} port ${port.text} is not a port ${label} exposes (ports: ${list})${hint}`;
}
