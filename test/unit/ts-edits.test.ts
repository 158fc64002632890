// TypeScript edit helpers: the server keep-alive edit (replace a written value, insert an assignment, keep line endings) and nested option objects.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { applyEdits } from '../../server/src/engine/fix.js';
import { objectAt, serverKeepAliveEdit } from '../../rules/util/ts-edits.js';

const FILE = 'src/server.ts';

/** A model with one TypeScript file: the helpers read only `sources` and `ts`. */
function modelOf(text: string): WorkspaceModel {
  const facts = extractTsFacts(parseTsText(FILE, text), { nodeMajor: 20 });
  const partial: Pick<WorkspaceModel, 'sources' | 'ts'> = {
    sources: new Map([[FILE, { file: FILE, text, eol: text.includes('\r\n') ? '\r\n' as const : '\n' as const }]]),
    ts: { files: new Map([[FILE, facts]]), packages: [] },
  };
  return partial as WorkspaceModel;
}

function keepAlive(text: string, ms = 65_000): string | undefined {
  const model = modelOf(text);
  const server = model.ts.files.get(FILE)!.servers[0]!;
  const edit = serverKeepAliveEdit(model, FILE, server, ms);
  return edit ? applyEdits(text, [edit]).text : undefined;
}

describe('serverKeepAliveEdit', () => {
  it('replaces an assigned keepAliveTimeout value only', () => {
    const text = `import http from 'node:http';\nconst server = http.createServer(app);\nserver.keepAliveTimeout = 5000; // too short\n`;
    expect(keepAlive(text)).toBe(`import http from 'node:http';\nconst server = http.createServer(app);\nserver.keepAliveTimeout = 65_000; // too short\n`);
  });

  it('replaces a keepAliveTimeout passed in createServer options', () => {
    const text = `import { createServer } from 'node:http';\nconst server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 0 }, app);\n`;
    expect(keepAlive(text)).toBe(`import { createServer } from 'node:http';\nconst server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, app);\n`);
  });

  it('replaces a Fastify option and adds one when absent', () => {
    expect(keepAlive(`import fastify from 'fastify';\nconst app = fastify({ keepAliveTimeout: 5000 });\n`)).toBe(`import fastify from 'fastify';\nconst app = fastify({ keepAliveTimeout: 65_000 });\n`);
    expect(keepAlive(`import fastify from 'fastify';\nconst app = fastify({ logger: true });\n`)).toBe(`import fastify from 'fastify';\nconst app = fastify({ logger: true, keepAliveTimeout: 65_000 });\n`);
    expect(keepAlive(`import fastify from 'fastify';\nconst app = fastify();\n`)).toBe(`import fastify from 'fastify';\nconst app = fastify({ keepAliveTimeout: 65_000 });\n`);
  });

  it('inserts an assignment after the statement that creates the server, with its indentation', () => {
    const text = `import http from 'node:http';\nexport function start() {\n  const server = http.createServer((req, res) => {\n    res.end('ok');\n  });\n  server.listen(8080);\n}\n`;
    expect(keepAlive(text)).toBe(`import http from 'node:http';\nexport function start() {\n  const server = http.createServer((req, res) => {\n    res.end('ok');\n  });\n  server.keepAliveTimeout = 65_000;\n  server.listen(8080);\n}\n`);
  });

  it('inserts after an Express listen kept in a variable, without a semicolon when the file has none', () => {
    const text = `import express from 'express'\nconst app = express()\nconst server = app.listen(3000) // main server\nexport default server\n`;
    expect(keepAlive(text, 61_000)).toBe(`import express from 'express'\nconst app = express()\nconst server = app.listen(3000) // main server\nserver.keepAliveTimeout = 61_000\nexport default server\n`);
  });

  it('keeps CRLF line endings', () => {
    const text = `import http from 'node:http';\r\nconst server = http.createServer(app);\r\nserver.listen(80);\r\n`;
    expect(keepAlive(text)).toBe(`import http from 'node:http';\r\nconst server = http.createServer(app);\r\nserver.keepAliveTimeout = 65_000;\r\nserver.listen(80);\r\n`);
  });

  it('gives no edit when the server is not held in a variable', () => {
    expect(keepAlive(`import express from 'express';\nconst app = express();\napp.listen(3000);\n`)).toBeUndefined();
    expect(keepAlive(`import http from 'node:http';\nhttp.createServer(app).listen(80);\n`)).toBeUndefined();
  });
});

describe('objectAt', () => {
  it('reads a nested object literal with keys and value offsets', () => {
    const text = `got(url, { timeout: { connect: 1000 }, 'retry': 2 });`;
    const model = modelOf(text);
    const start = text.indexOf('{ timeout');
    const object = objectAt(model, FILE, start, text.lastIndexOf('}') + 1)!;
    expect(object.properties!.map((p) => p.key)).toEqual(['timeout', 'retry']);
    const inner = object.properties![0]!.value!;
    expect(text.slice(inner.start, inner.end)).toBe('{ connect: 1000 }');
    expect(objectAt(model, FILE, 0, 3)).toBeUndefined();
  });
});
