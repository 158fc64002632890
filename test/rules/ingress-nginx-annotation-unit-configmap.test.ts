// ingress-nginx-annotation-unit on controller ConfigMaps: which values it reports, how the ConfigMap was
// recognised, and the fix; one in-memory workspace per row, linted by the real engine.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { configMapYaml, controllerDeployment, POD_NAMESPACE_ENV } from '../helpers/ingress-nginx-manifests.js';

const RULE = 'ingress-nginx-annotation-unit';

function findings(files: Record<string, string>) {
  const report = lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
  return report.findings.filter((f) => f.ruleId === RULE).map((f) => ({
    at: files[f.span.file]!.slice(f.span.start, f.span.end),
    message: f.message,
    related: f.related.map((r) => files[r.span.file]!.slice(r.span.start, r.span.end)),
    fix: f.fixes[0]?.edits.length === 1 && f.fixes[0].edits[0]!.start === f.span.start && f.fixes[0].edits[0]!.end === f.span.end ? f.fixes[0].edits[0]!.newText : undefined,
    safe: f.fixes.every((x) => x.safety === 'safe'),
  }));
}

const configMap = configMapYaml;
const controller = (image: string, arg: string, namespace = 'kube-system'): string => controllerDeployment(image, ['/nginx-ingress-controller', arg], namespace, POD_NAMESPACE_ENV);

const OLD_CONTROLLER = 'quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.9.0';

describe('controller ConfigMap values', () => {
  it.each([
    // Recognised by name, values with a unit: reported, fixed to quoted whole seconds.
    { case: 'a unit, by name', cm: ['ingress-nginx-controller', 'ingress-nginx', '  proxy-read-timeout: 30s'], at: '30s', fix: '"30"', text: 'proxy-read-timeout "30s" is ignored: not whole seconds; stays 60 s.' },
    { case: 'a quoted unit', cm: ['ingress-nginx-controller', 'ingress-nginx', '  proxy-connect-timeout: "10s"'], at: '"10s"', fix: '"10"', text: 'stays 5 s.' },
    { case: 'single quotes kept', cm: ['ingress-nginx-controller', 'ingress-nginx', '  keep-alive: \'2m\''], at: '\'2m\'', fix: '\'120\'', text: 'stays 75 s.' },
    { case: 'minutes and seconds', cm: ['nginx-configuration', 'ingress-nginx', '  upstream-keepalive-timeout: 1m30s'], at: '1m30s', fix: '"90"', text: 'stays 60 s.' },
    { case: 'no limit by default', cm: ['ingress-nginx-controller', 'ingress-nginx', '  proxy-next-upstream-timeout: 30s'], at: '30s', fix: '"30"', text: 'the built-in default 0 s (no limit)' },
    { case: 'a decimal: no fix', cm: ['ingress-nginx-controller', 'ingress-nginx', '  client-body-timeout: "7.5"'], at: '"7.5"', fix: undefined, text: '(it has a decimal part)' },
    { case: 'client-header-timeout', cm: ['ingress-nginx-controller', 'ingress-nginx', '  client-header-timeout: 60s'], at: '60s', fix: '"60"', text: 'stays 60 s.' },
    { case: 'proxy-send-timeout', cm: ['ingress-nginx-controller', 'ingress-nginx', '  proxy-send-timeout: 1h'], at: '1h', fix: '"3600"', text: 'stays 60 s.' },
    { case: 'a custom name, by an ingress-nginx-only key', cm: ['edge', 'ingress', '  allow-snippet-annotations: "false"\n  proxy-read-timeout: 300s'], at: '300s', fix: '"300"', text: 'because it has keys only ingress-nginx reads' },
  ])('reports $case', ({ cm, at, fix, text }) => {
    const found = findings({ 'cm.yaml': configMap(cm[0]!, cm[1]!, cm[2]!) });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ at, related: [], fix, safe: true });
    expect(found[0]!.message).toContain(text);
    expect(found[0]!.message).toContain('inferred');
  });

  it('reports a ConfigMap the controller names with --nginx-configmap=$(POD_NAMESPACE)/…, with the argument as related information', () => {
    const found = findings({
      'controller.yaml': controller(OLD_CONTROLLER, '--nginx-configmap=$(POD_NAMESPACE)/nginx-ingress-controller'),
      'cm.yaml': configMap('nginx-ingress-controller', 'kube-system', '  proxy-connect-timeout: 10s\n  proxy-read-timeout: "30s"\n  proxy-send-timeout: 30s'),
    });
    expect(found.map((f) => [f.at, f.fix])).toEqual([['10s', '"10"'], ['"30s"', '"30"'], ['30s', '"30"']]);
    for (const f of found) {
      expect(f.related).toEqual(['--nginx-configmap=$(POD_NAMESPACE)/nginx-ingress-controller']);
      expect(f.message).toContain('The controller Deployment kube-system/nginx-ingress-controller reads this ConfigMap (`--nginx-configmap=$(POD_NAMESPACE)/nginx-ingress-controller` at controller.yaml:18).');
    }
  });

  it.each([
    { case: 'whole seconds, quoted', cm: ['ingress-nginx-controller', 'ingress-nginx', '  proxy-read-timeout: "300"\n  keep-alive: \'75\''] },
    { case: 'whole seconds as YAML integers (not a string; a unit mistake it is not)', cm: ['ingress-nginx-controller', 'ingress-nginx', '  proxy-read-timeout: 300\n  proxy-send-timeout: 5.5'] },
    { case: 'keys that take duration strings', cm: ['ingress-nginx-controller', 'ingress-nginx', '  upstream-keepalive-time: 1h\n  proxy-stream-timeout: 600s\n  worker-shutdown-timeout: 240s\n  proxy-protocol-header-timeout: 5s'] },
    { case: 'templated values', cm: ['ingress-nginx-controller', 'ingress-nginx', '  proxy-read-timeout: "{{ .Values.readTimeout }}"\n  proxy-send-timeout: "${SEND_TIMEOUT}"'] },
    { case: 'numbers Go reads with base 0, and the empty string (read as 0)', cm: ['ingress-nginx-controller', 'ingress-nginx', '  proxy-read-timeout: "0x3c"\n  proxy-send-timeout: "1_000"\n  keep-alive: ""'] },
    { case: 'a ConfigMap that is not the controller\'s', cm: ['app-settings', 'shop', '  proxy-read-timeout: 30s'] },
  ])('is quiet on $case', ({ cm }) => {
    expect(findings({ 'cm.yaml': configMap(cm[0]!, cm[1]!, cm[2]!) })).toEqual([]);
  });

  it('is quiet on a same-named ConfigMap in another namespace than the arguments name', () => {
    expect(findings({
      'controller.yaml': controller(OLD_CONTROLLER, '--nginx-configmap=$(POD_NAMESPACE)/nginx-ingress-controller'),
      'cm.yaml': configMap('nginx-ingress-controller', 'default', '  proxy-read-timeout: 30s'),
    })).toEqual([]);
  });

  it('is quiet on NGINX Inc\'s ConfigMap (nginx.org), whose keys take nginx time units', () => {
    expect(findings({
      'controller.yaml': controller('nginx/nginx-ingress:3.6.1', '-nginx-configmaps=$(POD_NAMESPACE)/nginx-config', 'nginx-ingress'),
      'cm.yaml': configMap('nginx-config', 'nginx-ingress', '  proxy-connect-timeout: 10s\n  proxy-read-timeout: 300s'),
      'class.yaml': 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\nspec:\n  controller: nginx.org/ingress-controller\n',
    })).toEqual([]);
  });
});
