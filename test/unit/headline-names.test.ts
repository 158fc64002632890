// The short place labels rule headlines use (rules/util/places.ts, chain-hops.ts): the full label stays in the details.
import { describe, expect, it } from 'vitest';
import { headlineName, shortKey, urlHost } from '../../rules/util/places.js';

describe('headlineName', () => {
  it.each([
    ['drops the namespace of an object', 'Deployment llm-platform/summarise-api', 'Deployment summarise-api'],
    ['drops an Ingress rule path with the namespace', 'Ingress default/chat-api path /v1/chat/completions', 'Ingress chat-api'],
    ['keeps a route index', 'HTTPRoute llm/chat rules[1]', 'HTTPRoute chat rules[1]'],
    ['names an nginx location by its server', 'nginx location = /v1/chat/completions', 'nginx'],
    ['names an outbound call by its host, a cluster-local Service by its name', 'fetch GET http://user-api.llm-platform.svc.cluster.local/v1/users/{}', 'fetch GET user-api'],
    ['keeps a host with its port', 'axios POST http://model-server:8000/v1/completions', 'axios POST model-server:8000'],
    ['keeps a route handler, whose method is followed by a path', 'GET /api/jobs/:id/events handler', 'GET /api/jobs/:id/events handler'],
    ['drops asides and what a platform fronts', 'AWS ALB in front of services/api (chains.frontedBy)', 'AWS ALB'],
    ['names a Traefik router without its provider', 'Traefik router default-chat-route-0@kubernetescrd', 'Traefik default-chat-route-0'],
    ['leaves a name with a slash but no kind alone', 'Next.js/Vercel', 'Next.js/Vercel'],
  ])('%s', (_name, label, short) => {
    expect(headlineName(label)).toBe(short);
  });
});

describe('urlHost', () => {
  it('is the host of an absolute URL and the path of a same-origin one', () => {
    expect(urlHost('https://api.example.com/api/summarise')).toBe('api.example.com');
    expect(urlHost('http://orders.shop.svc/v1')).toBe('orders');
    expect(urlHost('/api/chat')).toBe('/api/chat');
  });
});

describe('shortKey', () => {
  it('drops the annotation prefix', () => {
    expect(shortKey('nginx.ingress.kubernetes.io/proxy-read-timeout')).toBe('proxy-read-timeout');
    expect(shortKey('keep-alive')).toBe('keep-alive');
  });
});
