// KongIngress (configuration.konghq.com/v1): the proxy section's timeouts and retries, attached to a Service by konghq.com/override, become the Kong Ingress hop's values; the Service's own annotations win (facts §8).
import { describe, expect, it } from 'vitest';
import { parseK8sText } from '../../server/src/engine/inputs/k8s/file.js';
import { buildK8sModel } from '../../server/src/engine/inputs/k8s/model.js';
import { ingressPathHop } from '../../server/src/engine/inputs/k8s/hops.js';
import type { Span } from '../../server/src/engine/types.js';

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: reports
spec:
  ingressClassName: kong
  rules:
    - http:
        paths:
          - path: /reports
            pathType: Prefix
            backend:
              service:
                name: reports
                port:
                  number: 80
`;

const service = (annotations: string) => `apiVersion: v1
kind: Service
metadata:
  name: reports
  annotations:
${annotations}
spec:
  selector:
    app: reports
  ports:
    - port: 80
`;

const KONG_INGRESS = `apiVersion: configuration.konghq.com/v1
kind: KongIngress
metadata:
  name: slow-reports
proxy:
  connect_timeout: 4000
  read_timeout: 180000
  write_timeout: 180000
  retries: 1
route:
  methods: [GET]
upstream:
  healthchecks:
    active:
      timeout: 1
`;

function hopOf(files: Record<string, string>) {
  const model = buildK8sModel(Object.entries(files).map(([file, text]) => parseK8sText(file, text)), { ingressNginxAnnotationPrefix: 'nginx.ingress.kubernetes.io' });
  const ingress = model.ingresses[0]!;
  const at = (span: Span | undefined): string => (span ? files[span.file]!.slice(span.start, span.end) : '<none>');
  return { model, hop: ingressPathHop(model, ingress, ingress.paths[0]!, undefined), at };
}

describe('KongIngress overrides', () => {
  it('reads the proxy section with exact spans and links it to the Service that names it', () => {
    const { model, at } = hopOf({ 'ingress.yaml': INGRESS, 'service.yaml': service('    konghq.com/override: slow-reports'), 'kong.yaml': KONG_INGRESS });
    const kongIngress = model.kongIngresses[0]!;
    expect([kongIngress.connectTimeout?.value, kongIngress.readTimeout?.value, kongIngress.writeTimeout?.value, kongIngress.retries?.value]).toEqual([4000, 180000, 180000, 1]);
    expect(at(kongIngress.readTimeout?.span)).toBe('180000');
    expect(model.services[0]!.kongIngress).toBe(kongIngress);
  });

  it('makes the proxy values the hop\'s read and connect timeouts and retries, set where the KongIngress writes them', () => {
    const { hop, at } = hopOf({ 'ingress.yaml': INGRESS, 'service.yaml': service('    konghq.com/override: slow-reports'), 'kong.yaml': KONG_INGRESS });
    const [read, connect] = hop.timeouts;
    expect(read).toMatchObject({ kind: 'idle', knob: 'KongIngress slow-reports proxy.read_timeout', ms: 180_000, source: 'set', perAttempt: true });
    expect(at(read!.span)).toBe('180000');
    expect(connect).toMatchObject({ kind: 'connect', knob: 'KongIngress slow-reports proxy.connect_timeout', ms: 4000, source: 'set' });
    expect(hop.attempts).toMatchObject({ count: 2, knob: 'KongIngress slow-reports proxy.retries', source: 'set' });
    expect(at(hop.attempts!.span)).toBe('1');
  });

  it('lets the Service\'s own annotations win over the KongIngress (the controller applies them after it)', () => {
    const annotations = '    konghq.com/override: slow-reports\n    konghq.com/read-timeout: "20000"\n    konghq.com/retries: "0"';
    const { hop } = hopOf({ 'ingress.yaml': INGRESS, 'service.yaml': service(annotations), 'kong.yaml': KONG_INGRESS });
    expect(hop.timeouts[0]).toMatchObject({ knob: 'konghq.com/read-timeout', ms: 20_000, source: 'set' });
    expect(hop.timeouts[1]).toMatchObject({ knob: 'KongIngress slow-reports proxy.connect_timeout', ms: 4000 });
    expect(hop.attempts).toBeUndefined();
  });

  it('keeps Kong\'s defaults when the override names no KongIngress among the manifests, or one in another namespace', () => {
    const cases: Array<Record<string, string>> = [
      { 'ingress.yaml': INGRESS, 'service.yaml': service('    konghq.com/override: missing') },
      { 'ingress.yaml': INGRESS, 'service.yaml': service('    konghq.com/override: slow-reports'), 'kong.yaml': KONG_INGRESS.replace('  name: slow-reports', '  name: slow-reports\n  namespace: other') },
    ];
    for (const files of cases) {
      const { hop } = hopOf(files);
      expect(hop.timeouts.map((t) => [t.knob, t.ms, t.source])).toEqual([['konghq.com/read-timeout', 60_000, 'default'], ['konghq.com/connect-timeout', 60_000, 'default']]);
      expect(hop.attempts).toMatchObject({ count: 6, source: 'default' });
    }
  });

  it('leaves a value the API server would refuse unknown, never Kong\'s default', () => {
    const text = KONG_INGRESS.replace('read_timeout: 180000', 'read_timeout: "180s"').replace('retries: 1', 'retries: -1');
    const { hop } = hopOf({ 'ingress.yaml': INGRESS, 'service.yaml': service('    konghq.com/override: slow-reports'), 'kong.yaml': text });
    expect(hop.timeouts[0]).toMatchObject({ knob: 'KongIngress slow-reports proxy.read_timeout', text: '180s', source: 'set' });
    expect(hop.timeouts[0]!.ms).toBeUndefined();
    expect(hop.attempts).toBeUndefined();
  });
});
