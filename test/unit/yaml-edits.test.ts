// Tests for the YAML edit helpers of rules/util/yaml-edits.ts: minimal edits that keep quotes, comments, indentation and line endings.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../server/src/engine/fix.js';
import { parseK8sText, type K8sObject } from '../../server/src/engine/inputs/k8s/file.js';
import { detectEol } from '../../server/src/engine/text.js';
import type { TextEdit } from '../../server/src/engine/types.js';
import {
  insertAnnotationEdit, insertMapEntryEdit, removeAnnotationEdit, renameKeyEdit, replaceScalarEdit, tokenText, type YamlSource,
} from '../../rules/util/yaml-edits.js';

function load(text: string): { source: YamlSource; object: K8sObject } {
  const file = 'k8s/app.yaml';
  const parsed = parseK8sText(file, text);
  expect(parsed.problems).toEqual([]);
  return { source: { file, text, eol: detectEol(text) }, object: parsed.objects[0]! };
}

function apply(text: string, edit: TextEdit | undefined): string {
  expect(edit).toBeDefined();
  const result = applyEdits(text, [edit!]).text;
  // Every result must still be valid YAML.
  expect(parseAllDocuments(result).flatMap((d) => (Array.isArray(d) ? [] : d.errors))).toEqual([]);
  return result;
}

const annotation = (object: K8sObject, key: string) => {
  const { view, node } = object;
  const field = view.fields(view.getIn(node, ['metadata', 'annotations'])).find((f) => f.key.text === key)!;
  return { key: field.key, value: view.scalar(field.value)! };
};

const INGRESS = (annotations: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: chat
${annotations}spec:
  ingressClassName: nginx
`;

describe('replaceScalarEdit', () => {
  const cases: Array<{ name: string; written: string; value: string; expected: string }> = [
    { name: 'keeps double quotes', written: '"300s"', value: '300', expected: '"300"' },
    { name: 'keeps single quotes', written: '\'1m\'', value: '60', expected: '\'60\'' },
    { name: 'quotes a plain value that would become an integer', written: '300s', value: '300', expected: '"300"' },
    { name: 'quotes a plain value that would become a YAML 1.1 boolean', written: 'off', value: 'on', expected: '"on"' },
    { name: 'keeps a plain word plain when it stays a string', written: 'error', value: 'error timeout', expected: 'error timeout' },
    { name: 'escapes inside double quotes', written: '"a"', value: 'say "hi"', expected: '"say \\"hi\\""' },
    { name: 'doubles single quotes inside single quotes', written: '\'a\'', value: 'it\'s', expected: '\'it\'\'s\'' },
  ];
  it.each(cases)('$name', ({ written, value, expected }) => {
    const text = INGRESS(`  annotations:\n    a/b: ${written}  # keep me\n`);
    const { object } = load(text);
    const result = apply(text, replaceScalarEdit(annotation(object, 'a/b').value, value, { mustBeString: true }));
    expect(result).toBe(text.replace(`a/b: ${written}`, `a/b: ${expected}`));
  });

  it('does not edit block scalars', () => {
    const { object } = load(INGRESS('  annotations:\n    a/b: |\n      300s\n'));
    expect(replaceScalarEdit(annotation(object, 'a/b').value, '300')).toBeUndefined();
  });
});

describe('renameKeyEdit', () => {
  it('renames a plain key and keeps the value and comment', () => {
    const text = INGRESS('  annotations:\n    nginx.org/proxy-read-timeout: "300s" # copied\n');
    const { source, object } = load(text);
    const result = apply(text, renameKeyEdit(source, annotation(object, 'nginx.org/proxy-read-timeout').key.span, 'nginx.ingress.kubernetes.io/proxy-read-timeout'));
    expect(result).toBe(text.replace('nginx.org/', 'nginx.ingress.kubernetes.io/'));
  });

  it('keeps the quotes of a quoted key', () => {
    const text = INGRESS('  annotations:\n    \'konghq.com/send-timeout\': "60000"\n');
    const { source, object } = load(text);
    const result = apply(text, renameKeyEdit(source, annotation(object, 'konghq.com/send-timeout').key.span, 'konghq.com/write-timeout'));
    expect(result).toContain('\'konghq.com/write-timeout\': "60000"');
  });
});

describe('insertAnnotationEdit', () => {
  const key = 'nginx.ingress.kubernetes.io/proxy-read-timeout';

  it('appends to a block map after a trailing comment, with the indentation of the other keys', () => {
    const text = INGRESS('  annotations:\n      a/b: "1"   # one\n      # about c\n      c/d: "2"  # two\n');
    const { source, object } = load(text);
    expect(apply(text, insertAnnotationEdit(source, object, key, '"300"'))).toBe(INGRESS(`  annotations:\n      a/b: "1"   # one\n      # about c\n      c/d: "2"  # two\n      ${key}: "300"\n`));
  });

  it('keeps CRLF line endings', () => {
    const text = INGRESS('  annotations:\n    a/b: "1"\n').replace(/\n/g, '\r\n');
    const { source, object } = load(text);
    const result = apply(text, insertAnnotationEdit(source, object, key, '"300"'));
    expect(result).toBe(INGRESS(`  annotations:\n    a/b: "1"\n    ${key}: "300"\n`).replace(/\n/g, '\r\n'));
    expect(result.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('creates the annotations map at the end of metadata, with the file\'s indentation step', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n    name: chat\n    labels:\n        app: chat\nspec: {}\n';
    const { source, object } = load(text);
    expect(apply(text, insertAnnotationEdit(source, object, key, '"300"'))).toBe(
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n    name: chat\n    labels:\n        app: chat\n    annotations:\n        ${key}: "300"\nspec: {}\n`,
    );
  });

  it('creates the annotations map with CRLF in a file without a final line break', () => {
    const text = 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: chat-api';
    const { source, object } = load(text);
    expect(apply(text, insertAnnotationEdit(source, object, 'konghq.com/read-timeout', '"300000"'))).toBe(
      'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: chat-api\r\n  annotations:\r\n    konghq.com/read-timeout: "300000"\r\n',
    );
  });

  it('fills an empty `annotations:`', () => {
    const text = INGRESS('  annotations:  # none yet\n  labels:\n    app: chat\n');
    const { source, object } = load(text);
    expect(apply(text, insertAnnotationEdit(source, object, key, '"300"'))).toBe(INGRESS(`  annotations:  # none yet\n    ${key}: "300"\n  labels:\n    app: chat\n`));
  });

  it('adds to flow maps: an empty one, a full one, and a flow metadata without annotations', () => {
    const empty = INGRESS('  annotations: {}\n');
    expect(apply(empty, insertAnnotationEdit(load(empty).source, load(empty).object, key, '"300"'))).toBe(INGRESS(`  annotations: {${key}: "300"}\n`));
    const full = INGRESS('  annotations: { a/b: "1" }\n');
    expect(apply(full, insertAnnotationEdit(load(full).source, load(full).object, key, '"300"'))).toBe(INGRESS(`  annotations: { a/b: "1", ${key}: "300" }\n`));
    const flow = 'apiVersion: v1\nkind: Service\nmetadata: {name: chat-api, namespace: llm}\n';
    expect(apply(flow, insertAnnotationEdit(load(flow).source, load(flow).object, 'konghq.com/read-timeout', '"300000"'))).toBe(
      'apiVersion: v1\nkind: Service\nmetadata: {name: chat-api, namespace: llm, annotations: {konghq.com/read-timeout: "300000"}}\n',
    );
  });

  it('appends after a block scalar value without touching it', () => {
    const text = INGRESS('  annotations:\n    nginx.org/server-snippets: |\n      client_max_body_size 8m;\n\n');
    const { source, object } = load(text);
    expect(apply(text, insertAnnotationEdit(source, object, key, '"300"'))).toBe(INGRESS(`  annotations:\n    nginx.org/server-snippets: |\n      client_max_body_size 8m;\n    ${key}: "300"\n\n`));
  });

  it('works in the second document of a multi-document file', () => {
    const text = `${INGRESS('')}---\n# second\n${INGRESS('  annotations:\n    a/b: "1"\n')}`;
    const parsed = parseK8sText('k8s/app.yaml', text);
    const source = { file: 'k8s/app.yaml', text, eol: '\n' as const };
    const result = apply(text, insertAnnotationEdit(source, parsed.objects[1]!, key, '"300"'));
    expect(result).toBe(`${INGRESS('')}---\n# second\n${INGRESS(`  annotations:\n    a/b: "1"\n    ${key}: "300"\n`)}`);
  });

  it('refuses annotations shared through an anchor or alias', () => {
    const anchored = INGRESS('  annotations: &common\n    a/b: "1"\n');
    expect(insertAnnotationEdit(load(anchored).source, load(anchored).object, key, '"300"')).toBeUndefined();
    const text = `${INGRESS('  annotations: &common\n    a/b: "1"\n')}---\n${INGRESS('  annotations: *common\n')}`;
    const parsed = parseK8sText('k8s/app.yaml', text);
    expect(insertAnnotationEdit({ file: 'k8s/app.yaml', text, eol: '\n' }, parsed.objects[1]!, key, '"300"')).toBeUndefined();
  });
});

describe('insertMapEntryEdit', () => {
  it('inserts into a nested block map', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ingress-nginx-controller\ndata:\n  keep-alive: "75"\n';
    const { source, object } = load(text);
    const data = object.view.get(object.node, 'data');
    expect(apply(text, insertMapEntryEdit(source, data as never, 'proxy-read-timeout', '"300"'))).toBe(`${text}  proxy-read-timeout: "300"\n`);
  });
});

describe('removeAnnotationEdit', () => {
  it('removes one annotation line with its comment and keeps the others', () => {
    const text = INGRESS('  annotations:\n    konghq.com/strip-path: "true"\n    konghq.com/read-timeout: "300000"  # moved\n    konghq.com/protocols: https\n');
    const { source, object } = load(text);
    const result = apply(text, removeAnnotationEdit(source, object, annotation(object, 'konghq.com/read-timeout').key.span));
    expect(result).toBe(INGRESS('  annotations:\n    konghq.com/strip-path: "true"\n    konghq.com/protocols: https\n'));
  });

  it('removes the whole annotations map when the last annotation goes (CRLF)', () => {
    const text = INGRESS('  annotations:\n    konghq.com/read-timeout: "300000"\n').replace(/\n/g, '\r\n');
    const { source, object } = load(text);
    expect(apply(text, removeAnnotationEdit(source, object, annotation(object, 'konghq.com/read-timeout').key.span))).toBe(INGRESS('').replace(/\n/g, '\r\n'));
  });

  it('removes an entry of a flow map with its comma', () => {
    const text = INGRESS('  annotations: {a/b: "1", konghq.com/read-timeout: "300000", c/d: "2"}\n');
    const { source, object } = load(text);
    expect(apply(text, removeAnnotationEdit(source, object, annotation(object, 'konghq.com/read-timeout').key.span))).toBe(INGRESS('  annotations: {a/b: "1", c/d: "2"}\n'));
    const last = INGRESS('  annotations: {a/b: "1", konghq.com/read-timeout: "300000"}\n');
    const loaded = load(last);
    expect(apply(last, removeAnnotationEdit(loaded.source, loaded.object, annotation(loaded.object, 'konghq.com/read-timeout').key.span))).toBe(INGRESS('  annotations: {a/b: "1"}\n'));
  });
});

describe('tokenText', () => {
  it('returns a token exactly as written', () => {
    const text = INGRESS('  annotations:\n    a/b: \'300\'\n');
    const { source, object } = load(text);
    expect(tokenText(source, annotation(object, 'a/b').value.span)).toBe('\'300\'');
  });
});
