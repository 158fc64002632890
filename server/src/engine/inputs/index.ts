// The registry: every input the engine reads, in the order the runner reads them and the chain walk asks them (gateways before services before code).
import type { Input } from './input.js';
import { nginxInput } from './nginx/index.js';
import { k8sInput } from './k8s/index.js';
import { composeInput } from './compose/index.js';
import { tsInput } from './ts/index.js';

export const INPUTS: readonly Input[] = [
  nginxInput,
  k8sInput,
  composeInput,
  tsInput,
] as readonly Input[];
