// The registry: every input the engine reads, in the order the runner reads them and the chain walk asks them (gateways before services before code).
import type { Input } from './input.js';
import { ansibleInput } from './ansible/index.js';
import { nginxInput } from './nginx/index.js';
import { haproxyInput } from './haproxy/index.js';
import { traefikInput } from './traefik/index.js';
import { kongInput } from './kong/index.js';
import { litellmInput } from './litellm/index.js';
import { helmInput } from './helm/index.js';
import { k8sInput } from './k8s/index.js';
import { composeInput } from './compose/index.js';
import { frontedByInput } from './fronted-by/index.js';
import { elasticBeanstalkInput } from './elastic-beanstalk/index.js';
import { terraformInput } from './terraform/index.js';
import { cloudFormationInput } from './cloudformation/index.js';
import { postgresInput } from './postgres/index.js';
import { tsInput } from './ts/index.js';
import { vercelInput } from './vercel/index.js';

export const INPUTS: readonly Input[] = [
  // First: it takes Jinja templates by name and hands their rendered texts to every input after it.
  ansibleInput,
  nginxInput,
  haproxyInput,
  traefikInput,
  kongInput,
  // Before the inputs that hold services: a host that names the LiteLLM proxy is its config's, not only a container's.
  litellmInput,
  // Before Kubernetes: the manifests it renders from charts are read by the Kubernetes input.
  helmInput,
  k8sInput,
  composeInput,
  frontedByInput,
  elasticBeanstalkInput,
  terraformInput,
  cloudFormationInput,
  postgresInput,
  tsInput,
  // No chain hops: its vercel.json settings are checked against the files beside it.
  vercelInput,
] as readonly Input[];

const inputsOfModels = new WeakMap<object, readonly Input[]>();

/** Records which inputs a run read its model with (tests and front ends may pass their own list). */
export function recordInputs(model: object, inputs: readonly Input[]): void {
  inputsOfModels.set(model, inputs);
}

/** The inputs a model was read with: the chain walk asks the same ones. */
export function inputsOf(model: object): readonly Input[] {
  return inputsOfModels.get(model) ?? INPUTS;
}
