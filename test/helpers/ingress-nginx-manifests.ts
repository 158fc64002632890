// Manifests of an ingress-nginx controller and its ConfigMap, for tests of how the ConfigMap is recognised and checked.

/** A controller Deployment with one container of `image`, its `args`, and `env` lines (already indented) after them. */
export function controllerDeployment(image: string, args: readonly string[], namespace = 'kube-system', env = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-ingress-controller
  namespace: ${namespace}
spec:
  selector:
    matchLabels: {app: ingress}
  template:
    metadata:
      labels: {app: ingress}
    spec:
      containers:
        - name: controller
          image: ${image}
          args:
${args.map((a) => `            - ${a}`).join('\n')}
${env}`;
}

/** `POD_NAMESPACE` from the pod's own namespace, as the controller's manifests set it. */
export const POD_NAMESPACE_ENV = `          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
`;

/** A ConfigMap with `data` lines (already indented). */
export function configMapYaml(name: string, namespace: string, data: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n${data}\n`;
}
