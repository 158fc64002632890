// Compose in call chains: a service reached by its name, and the code it builds (its `build:` context, its image name) with the environment it gives.
import type { ComposeModel, ComposeService } from '../../yaml/compose.js';
import { composeHop } from './hops.js';
import { joinRelative } from '../../chain/addresses.js';
import { envContextOf, type EnvBinding } from '../../chain/environment.js';
import { imageNameCandidate } from '../../chain/image-name.js';
import type { ChainLinker, ChainTarget, Deployable, RequestPath, Step, Walker } from '../../chain/walk.js';
import type { FileId } from '../../types.js';

export function composeLinker(model: ComposeModel, walker: Walker): ChainLinker {
  const serviceKey = (file: FileId, service: ComposeService) => `compose:${file}:${service.nameSpan.start}`;

  const follow = (step: Step, file: FileId, service: ComposeService, request: RequestPath, method: string | undefined): void => {
    const key = serviceKey(file, service);
    if (!walker.enter(step, key)) return;
    const hop = composeHop(file, service);
    const env = envContextOf(`compose service ${service.name}`, environmentOf(service));
    const context = service.build?.context?.text;
    const folder = context ? joinRelative(file, context) : undefined;
    const image = service.image ? imageNameCandidate(service.image.text) : undefined;
    const imageEvidence = image?.evidence ? { name: image.name, text: `image name ${image.name} from the ${image.evidence} of ${service.image!.text}`, span: service.image!.span } : undefined;
    const written = service.image ? { text: service.image.text, span: service.image.span } : undefined;
    // `entrypoint` replaces the image's ENTRYPOINT and drops its CMD (the service's `command` then follows it); `command` alone replaces the CMD.
    const owner = `compose service ${service.name}`;
    const command = service.entrypoint.length > 0
      ? { words: [...service.entrypoint, ...service.command].map((w) => w.text), replaces: 'entrypoint' as const, owner }
      : service.command.length > 0 ? { words: service.command.map((w) => w.text), replaces: 'cmd' as const, owner } : undefined;
    walker.followCode(walker.extend(step, hop, key), { names: [service.name, ...(image ? [image.name] : [])], env, folder, imageEvidence, image: written, command }, request, method);
  };

  return {
    holdsServices: () => model.files.some((c) => c.compose.services.length > 0),
    targets: {
      service(request) {
        for (const { file, compose } of model.files) {
          const service = compose.services.find((s) => s.name.toLowerCase() === request.host);
          if (service) return [{ key: serviceKey(file, service), follow: (step, req, method) => follow(step, file, service, req, method) } satisfies ChainTarget];
        }
        // Docker's DNS also answers a service's container_name and network aliases, and a consumer's
        // `links` aliases; two services answering one name are not guessed between.
        const named = model.files.flatMap(({ file, compose }) => [
          ...compose.services.flatMap((service) => service.dnsNames.filter((n) => n.name.toLowerCase() === request.host).map((n) => ({ file, service, text: `${n.name} is the ${n.how} of compose service ${service.name}`, span: n.span }))),
          ...compose.services.flatMap((consumer) =>
            consumer.linkAliases
              .filter((l) => l.alias.toLowerCase() === request.host)
              .flatMap((l) => compose.services.filter((s) => s.name === l.service).map((service) => ({ file, service, text: `${l.alias} is compose service ${service.name} by the links of ${consumer.name}`, span: l.span }))),
          ),
        ]);
        const services = new Set(named.map((m) => m.service));
        if (services.size !== 1) return [];
        const { file, service, text, span } = named[0]!;
        const evidence = [{ text, span }];
        return [{ key: serviceKey(file, service), follow: (step, req, method) => walker.withLinkEvidence(evidence, () => follow(step, file, service, req, method)) } satisfies ChainTarget];
      },
    },
    deployables() {
      const out: Deployable[] = [];
      for (const { file, compose } of model.files) {
        for (const service of compose.services) {
          const context = service.build?.context?.text;
          const deployable: Deployable = { names: [service.name], owner: `compose service ${service.name}` };
          if (service.image) deployable.image = service.image.text;
          // Only a build context names the code a service runs, and so the code its environment reaches.
          if (context !== undefined) {
            deployable.folder = joinRelative(file, context);
            deployable.vars = environmentOf(service);
          }
          out.push(deployable);
        }
      }
      return out;
    },
  };
}

function environmentOf(service: ComposeService): Map<string, EnvBinding> {
  return new Map(service.environment.map((e): [string, EnvBinding] => [e.name, { declaredAt: e.span, unknown: e.value?.unresolved ?? e.value === undefined, ...(e.value ? { text: e.value.text, valueSpan: e.value.span } : {}) }]));
}
