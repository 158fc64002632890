// NestJS HttpService (@nestjs/axios): calls read as axios calls, and the package's HttpModule gives them their instance.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts, type TsTimeout } from '../../server/src/engine/inputs/ts/facts.js';
import { applyNestHttpModules } from '../../server/src/engine/inputs/ts/nest-http.js';
import type { CodePackage } from '../../server/src/engine/inputs/ts/packages.js';

const SERVICE = `import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';
@Injectable()
export class Geo {
  constructor(private readonly http: HttpService) {}
  lookup(q: string) { return firstValueFrom(this.http.get(\`http://geo:8080/lookup?q=\${q}\`)); }
  save(body: unknown) { return this.http.axiosRef.post('http://geo:8080/places', body, { timeout: 2000 }); }
}
`;

const brief = (t: TsTimeout) => `${t.option}:${t.source}:${t.level ?? '-'}:${t.ms ?? '-'}`;

/** The service's calls after the package pass, with these module files beside it. */
function callsWith(modules: Record<string, string>) {
  const sources: Array<[string, string]> = [['src/geo.service.ts', SERVICE], ...Object.entries(modules)];
  const files = new Map<string, TsFileFacts>(sources.map(([file, text]) => [file, extractTsFacts(parseTsText(file, text))]));
  const pkg: CodePackage = { dir: '', names: [], files: [...files.keys()] };
  applyNestHttpModules(files, [pkg]);
  return files.get('src/geo.service.ts')!.calls.map((call) => ({ method: call.method, timeouts: call.timeouts.map(brief), unknown: call.optionsUnknown }));
}

const MODULE = (imports: string) => `import { Module } from '@nestjs/common';\nimport { HttpModule } from '@nestjs/axios';\nimport { Geo } from './geo.service';\n@Module({ imports: [${imports}], providers: [Geo] })\nexport class GeoModule {}\n`;

describe('NestJS HttpService', () => {
  it('reads this.http.<verb>() and this.http.axiosRef.<verb>() as axios calls', () => {
    const calls = extractTsFacts(parseTsText('src/geo.service.ts', SERVICE)).calls;
    expect(calls.map((c) => `${c.library} ${c.method} ${c.nestHttpService ?? false}`)).toEqual(['axios GET true', 'axios POST true']);
  });

  it('gives the calls the config of the one HttpModule.register() of the package; the call\'s own timeout wins', () => {
    expect(callsWith({ 'src/geo.module.ts': MODULE('HttpModule.register({ timeout: 15000 })') })).toEqual([
      { method: 'GET', timeouts: ['timeout:set:instance:15000'], unknown: false },
      { method: 'POST', timeouts: ['timeout:set:call:2000'], unknown: false },
    ]);
  });

  it('leaves the default axios instance (no timeout) when the package imports the bare HttpModule', () => {
    expect(callsWith({ 'src/geo.module.ts': MODULE('HttpModule') })[0]).toEqual({ method: 'GET', timeouts: ['timeout:none:-:-'], unknown: false });
  });

  it.each<[string, Record<string, string>]>([
    ['a factory (registerAsync)', { 'src/geo.module.ts': MODULE('HttpModule.registerAsync({ useFactory: (c) => c.get("http") })') }],
    ['two registrations in the package', { 'src/geo.module.ts': MODULE('HttpModule.register({ timeout: 15000 })'), 'src/other.module.ts': MODULE('HttpModule.register({ timeout: 1000 })') }],
    ['no HttpModule anywhere in the package', {}],
  ])('says the instance is unknown with %s, and keeps only what the call sets', (_name, modules) => {
    expect(callsWith(modules)).toEqual([
      { method: 'GET', timeouts: [], unknown: true },
      { method: 'POST', timeouts: ['timeout:set:call:2000'], unknown: true },
    ]);
  });

  it('reads nothing for an HttpService of another package or another method', () => {
    const source = `import { HttpService } from './my-http';\nexport class A { constructor(private readonly http: HttpService) {}\n  go() { return this.http.get('http://x/y'); } }\n`;
    const other = `import { HttpService } from '@nestjs/axios';\nexport class B { constructor(private readonly http: HttpService) {}\n  go() { return this.http.pipe(); } }\n`;
    expect(extractTsFacts(parseTsText('src/a.ts', source)).calls.filter((c) => c.nestHttpService)).toEqual([]);
    expect(extractTsFacts(parseTsText('src/b.ts', other)).calls).toEqual([]);
  });
});
