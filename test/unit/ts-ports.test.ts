// Listening ports read from code: literals, env reads with defaults in their usual spellings, config objects; resolved with and without the runtime's environment.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { resolveTsNumber } from '../../server/src/engine/inputs/ts/chain-values.js';
import { envContextOf, NO_ENV } from '../../server/src/engine/chain/environment.js';

function portOf(source: string, env: Record<string, string> = {}): number | undefined {
  const facts = extractTsFacts(parseTsText('src/server.ts', source));
  const lookup = new Map<string, TsFileFacts>([['src/server.ts', facts]]);
  const server = facts.servers.find((s) => s.port);
  if (!server?.port) return undefined;
  const context = Object.keys(env).length === 0 ? NO_ENV : envContextOf('compose service api', new Map(Object.entries(env).map(([name, text]) => [name, { text, declaredAt: { file: 'docker-compose.yml', start: 0, end: 0 }, unknown: false }])));
  return resolveTsNumber(server.port, 'src/server.ts', lookup, context)?.value;
}

const express = `import express from 'express';\nconst app = express();\n`;
const nest = `import { NestFactory } from '@nestjs/core';\nimport { ConfigService } from '@nestjs/config';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\nconst app = await NestFactory.create(AppModule);\n`;

describe('listening ports', () => {
  const cases: Array<[string, string, Record<string, string>, number | undefined]> = [
    ['literal', `${express}app.listen(3000);`, {}, 3000],
    ['Number(env ?? n)', `${express}app.listen(Number(process.env.PORT ?? 3000));`, {}, 3000],
    ['Number(env ?? n) with PORT set by the runtime', `${express}app.listen(Number(process.env.PORT ?? 3000));`, { PORT: '8080' }, 8080],
    ["parseInt(env || 'n', 10)", `${express}app.listen(parseInt(process.env.PORT || '3000', 10));`, {}, 3000],
    ['+env || n', `${express}app.listen(+process.env.PORT! || 3000);`, {}, 3000],
    ['config object', `${express}const config = { port: Number(process.env.PORT) || 3000 } as const;\napp.listen(config.port);`, {}, 3000],
    ['config object with PORT set', `${express}const config = { port: Number(process.env.PORT) || 3000 };\napp.listen(config.port);`, { PORT: '4000' }, 4000],
    ['a const', `${express}const PORT = 8_080;\napp.listen(PORT, () => {});`, {}, 8080],
    ['http.createServer then listen', `import http from 'node:http';\nconst server = http.createServer();\nserver.listen(Number(process.env.PORT ?? 5000));`, {}, 5000],
    ['env without default and unset is unknown, not a guess', `${express}app.listen(process.env.PORT);`, {}, undefined],
    ['a let is unknown', `${express}let port = 3000;\nport = 4000;\napp.listen(port);`, {}, undefined],
    ['NestJS app.get(ConfigService).get(PORT, n)', `${nest}const config = app.get(ConfigService);\nawait app.listen(config.get<number>('PORT', 3000));\n}`, {}, 3000],
    ['NestJS ConfigService with PORT set by the runtime', `${nest}const config = app.get(ConfigService);\nawait app.listen(config.get('PORT') ?? 3000);\n}`, { PORT: '8080' }, 8080],
    ['NestJS ConfigService without a default, unset, is unknown', `${nest}const config = app.get(ConfigService);\nawait app.listen(config.get('PORT'));\n}`, {}, undefined],
    ['NestJS ConfigService custom configuration key is unknown', `${nest}const config = app.get(ConfigService);\nawait app.listen(config.get('http.port', 3000));\n}`, {}, undefined],
    ['a get() on something else is unknown', `${nest}const config = new Map();\nawait app.listen(config.get('PORT', 3000));\n}`, {}, undefined],
    ['this.configService typed ConfigService', `${express}import { ConfigService } from '@nestjs/config';\nexport class Boot {\n  constructor(private readonly configService: ConfigService) {}\n  start() { app.listen(this.configService.get('PORT', 4000)); }\n}`, {}, 4000],
    ['envalid cleanEnv num default', `${express}import { cleanEnv, num } from 'envalid';\nconst env = cleanEnv(process.env, { PORT: num({ default: 3000 }) });\nconst config = Object.freeze({ ...process.env, PORT: env.PORT });\napp.listen(config.PORT);`, {}, 3000],
    ['envalid port() with PORT set', `${express}import { cleanEnv, port } from 'envalid';\nconst env = cleanEnv(process.env, { PORT: port({ default: 3000 }) });\napp.listen(env.PORT);`, { PORT: '3100' }, 3100],
    ['envalid devDefault is unknown (it applies outside production only)', `${express}import { cleanEnv, port } from 'envalid';\nconst env = cleanEnv(process.env, { PORT: port({ devDefault: 3000 }) });\napp.listen(env.PORT);`, {}, undefined],
  ];
  it.each(cases)('%s', (_name, source, env, expected) => {
    expect(portOf(source, env)).toBe(expected);
  });
});
