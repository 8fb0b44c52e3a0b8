import {
  type AnySchema,
  cleanJsonCheck,
  defOf,
  fieldPlace,
  isTextSchema,
  metaOf,
  type PathPart,
  unwrapChain,
  visitSchema,
} from '@erp/contracts';
import { sql } from '@erp/db';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';
import { registerErrorHandler } from './errors.js';
import { type RegisteredRoute, routeRegistry } from './route.js';

/**
 * Issue 9, items 7 and 8, on every route: every string a client can send is the one clean text() schema,
 * every field has a label, and NUL / lone-surrogate text sent to every field, query and path parameter
 * is answered 400 naming the field — never 500. The routes come from `routeRegistry`, so a route added
 * tomorrow is walked the day it is added.
 */
const getApp = useTestApp();

type Part = 'params' | 'querystring' | 'body';
const PARTS: Part[] = ['params', 'querystring', 'body'];
const NUL = 'bad\u0000text';
const LONE_SURROGATE = 'bad\ud800text';

function routeName(r: RegisteredRoute, part: Part, path: string[]): string {
  return `${r.method} ${r.url} ${part}:${path.join('.') || '(root)'}`;
}

/** A string a person types (not a uuid/date format): it must come back refused as `bad_text`. */
function isFreeString(schema: AnySchema): boolean {
  const inner = unwrapChain(schema).at(-1) as AnySchema;
  const d = defOf(inner);
  if (d.type === 'union') return (d.options ?? []).some(isFreeString);
  return d.type === 'string' && !d.format;
}

function hasCheck(schema: AnySchema, check: unknown): boolean {
  return unwrapChain(schema).some((s) => (defOf(s).checks ?? []).includes(check));
}

/** Every schema met in a route's request parts, with where it was met. */
function eachSchema(
  visit: (route: RegisteredRoute, part: Part, v: { path: string[]; schema: AnySchema }) => boolean | undefined,
) {
  for (const route of routeRegistry) {
    for (const part of PARTS) {
      const root = route.schemas[part] as AnySchema | undefined;
      if (root) visitSchema(root, (v) => visit(route, part, v));
    }
  }
}

describe('every request schema is clean text and labelled (static walk)', () => {
  it('has routes to walk', () => {
    expect(routeRegistry.length).toBeGreaterThan(100);
  });

  it('every string schema refuses NUL: it is text(), or a format (uuid, date…) that refuses it too', () => {
    const plain: string[] = [];
    eachSchema((route, part, v) => {
      if (hasCheck(v.schema, cleanJsonCheck)) return false; // free-form JSON, checked in depth as a whole
      if (metaOf(v.schema).checkedLater) return false; // the service checks it item by item
      const inner = unwrapChain(v.schema).at(-1) as AnySchema;
      const d = defOf(inner);
      if (d.type === 'unknown' || d.type === 'any' || d.type === 'custom')
        plain.push(`${routeName(route, part, v.path)} (${d.type})`);
      if (d.type !== 'string' || isTextSchema(inner)) return true;
      const refuses = d.format && !Object.hasOwn(inner['~standard'].validate(NUL), 'value');
      if (!refuses || Object.hasOwn(inner['~standard'].validate(LONE_SURROGATE), 'value'))
        plain.push(routeName(route, part, v.path));
      return true;
    });
    expect(plain).toEqual([]);
  });

  it('every field of every route has a label (zh-CN and en)', () => {
    const unlabelled = new Set<string>();
    eachSchema((route, part, v) => {
      const last = v.path.at(-1);
      if (!last || last === '#' || last === '*' || last === '[key]') return true;
      const root = route.schemas[part] as AnySchema;
      const path: PathPart[] = v.path.filter((p) => p !== '[key]').map((p) => (p === '#' ? 0 : p === '*' ? 'key' : p));
      const label = fieldPlace(path, root).label;
      if (!label?.zh || !label.en) unlabelled.add(routeName(route, part, v.path));
      return true;
    });
    expect([...unlabelled]).toEqual([]);
  });
});

interface Expectation {
  path: string;
  /** The code the field error must have; undefined: a part the service checks itself (no 5xx is all). */
  code: string | undefined;
}

/**
 * A request part with `bad` in every leaf (one element per array, one entry per record) and the field
 * errors it must produce: `bad_text` on every text field, `json_text` on free-form JSON.
 */
function badInput(schema: AnySchema, bad: string, path: PathPart[], expect: Expectation[]): unknown {
  if (metaOf(schema).checkedLater) {
    expect.push({ path: path.join('.'), code: undefined });
    return [{ note: bad, [bad]: bad }];
  }
  if (hasCheck(schema, cleanJsonCheck)) {
    expect.push({ path: path.join('.'), code: 'json_text' });
    return { note: bad, nested: [{ deeper: bad }] };
  }
  const inner = unwrapChain(schema).at(-1) as AnySchema;
  const d = defOf(inner);
  if (d.type === 'object') {
    return Object.fromEntries(Object.entries(d.shape ?? {}).map(([k, s]) => [k, badInput(s, bad, [...path, k], expect)]));
  }
  if (d.type === 'array' && d.element) return [badInput(d.element, bad, [...path, 0], expect)];
  if (d.type === 'record' && d.valueType) {
    // A record keyed by a choice (price types) takes one of its keys; a free key also gets a bad one.
    const keys = d.keyType ? defOf(unwrapChain(d.keyType).at(-1) as AnySchema) : undefined;
    const key = keys?.type === 'enum' ? String(Object.values((keys as { entries?: object }).entries ?? {})[0]) : 'k';
    return { [key]: badInput(d.valueType, bad, [...path, key], expect), ...(keys?.type === 'enum' ? {} : { [bad]: 'x' }) };
  }
  if (isFreeString(inner)) expect.push({ path: path.join('.'), code: 'bad_text' });
  return bad;
}

/** A value the schema accepts, for path parameters while the body or the query is under test. */
function goodValue(schema: AnySchema): string {
  const inner = unwrapChain(schema).at(-1) as AnySchema;
  const d = defOf(inner) as ReturnType<typeof defOf> & { entries?: Record<string, string> };
  if (d.type === 'enum') return String(Object.values(d.entries ?? {})[0]);
  if (d.format === 'uuid') return '00000000-0000-4000-8000-000000000001';
  if (d.format === 'date') return '2026-01-05';
  if (d.type === 'number') return '1';
  return 'x1';
}

function urlWith(route: RegisteredRoute, params: Record<string, string>, query?: string): string {
  let url = route.url;
  for (const [k, v] of Object.entries(params)) url = url.replace(`:${k}`, v);
  return query ? `${url}?${query}` : url;
}

function goodParams(route: RegisteredRoute): Record<string, string> {
  const shape = route.schemas.params
    ? (defOf(unwrapChain(route.schemas.params as AnySchema).at(-1) as AnySchema).shape ?? {})
    : {};
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, encodeURIComponent(goodValue(s))]));
}

describe('unusable text sent to every field of every route (issue 9, item 7)', () => {
  it('NUL and a lone surrogate in every body field: 400 with the field named, never ≥ 500', async () => {
    const { call } = getApp();
    const failures: string[] = [];
    for (const route of routeRegistry) {
      const body = route.schemas.body as AnySchema | undefined;
      if (!body) continue;
      for (const bad of [NUL, LONE_SURROGATE]) {
        const expected: Expectation[] = [];
        const payload = badInput(body, bad, [], expected) as object;
        const res = await call('admin', { method: route.method, url: urlWith(route, goodParams(route)), payload });
        const tag = `${route.method} ${route.url} ${bad === NUL ? 'NUL' : 'surrogate'}`;
        if (expected.some((e) => e.code === undefined)) {
          if (res.statusCode >= 500) failures.push(`${tag} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          continue;
        }
        if (res.statusCode !== 400) {
          failures.push(`${tag} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          continue;
        }
        const errors = (res.json().errors ?? []) as { path: string; code: string }[];
        for (const e of expected) {
          const path = ['body', e.path].filter(Boolean).join('.');
          if (!errors.some((x) => x.path === path && x.code === e.code)) failures.push(`${tag}: no ${e.code} on ${path}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('NUL and broken UTF-8 in every query parameter: 400 naming text parameters, never ≥ 500', async () => {
    const { call } = getApp();
    const failures: string[] = [];
    for (const route of routeRegistry) {
      const query = route.schemas.querystring as AnySchema | undefined;
      if (!query) continue;
      const shape = defOf(unwrapChain(query).at(-1) as AnySchema).shape ?? {};
      const keys = Object.keys(shape);
      const withAll = (raw: string) => urlWith(route, goodParams(route), keys.map((k) => `${k}=${raw}`).join('&'));
      const res = await call('admin', { method: route.method, url: withAll('a%00b') });
      const named = new Set(
        ((res.json().errors ?? []) as { path: string; code: string }[]).filter((e) => e.code === 'bad_text').map((e) => e.path),
      );
      const texts = keys.filter((k) => isFreeString(shape[k] as AnySchema));
      const unnamed = texts.filter((k) => !named.has(`querystring.${k}`));
      if (res.statusCode !== 400 || unnamed.length) {
        failures.push(
          `${route.method} ${route.url} NUL → ${res.statusCode}, not named: ${unnamed.join(', ')} ${res.body.slice(0, 160)}`,
        );
      }
      // A lone surrogate has no UTF-8 form; what a client can send is its broken encoding or an overlong NUL.
      for (const raw of ['%ED%A0%80', '%C0%80', '%FF%FE']) {
        const broken = await call('admin', { method: route.method, url: withAll(raw) });
        if (broken.statusCode >= 500) failures.push(`${route.method} ${route.url} ${raw} → ${broken.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('NUL and broken UTF-8 in every path parameter: 400 (or 404 for no such thing), never ≥ 500', async () => {
    const { call } = getApp();
    const failures: string[] = [];
    for (const route of routeRegistry) {
      if (!route.schemas.params) continue;
      for (const key of Object.keys(goodParams(route))) {
        for (const raw of ['a%00b', '%ED%A0%80', '%C0%80', '%FF']) {
          const url = urlWith(route, { ...goodParams(route), [key]: raw });
          const res = await call('admin', { method: route.method, url, ...(route.schemas.body ? { payload: {} } : {}) });
          if (res.statusCode >= 500 || (raw === 'a%00b' && res.statusCode !== 400)) {
            failures.push(`${route.method} ${url} → ${res.statusCode} ${res.body.slice(0, 160)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('validation messages a person can read, over HTTP (issue 9, item 8)', () => {
  const post = async (url: string, payload: object, lang: 'zh-CN' | 'en') => {
    const res = await getApp().call('admin', { method: 'POST', url, payload, headers: { 'accept-language': lang } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    return {
      body,
      byPath: Object.fromEntries((body.errors as { path: string; message: string }[]).map((e) => [e.path, e.message])),
    };
  };

  it('a product form submitted empty asks for the product code and name, in the caller’s language', async () => {
    const zh = await post('/api/products', {}, 'zh-CN');
    expect(zh.body.code).toBe('VALIDATION_FAILED');
    expect(zh.body.detail).toBe('输入有误，请检查标出的字段');
    expect(zh.byPath).toMatchObject({ 'body.code': '请填写商品编码', 'body.name': '请填写商品名称' });
    const en = await post('/api/products', {}, 'en');
    expect(en.byPath).toMatchObject({ 'body.code': 'Enter the product code', 'body.name': 'Enter the product name' });
    expect(JSON.stringify(en.body)).not.toMatch(/Invalid input|expected string|received undefined/);
    expect(JSON.stringify(zh.body)).not.toMatch(/无效输入|Invalid input/);
  });

  it('store create, a document line and a till sale name their fields', async () => {
    const store = await post(
      '/api/stores/open',
      { parentId: 1, code: 'A B', name: 'x'.repeat(101), storeMode: 'direct' },
      'zh-CN',
    );
    expect(store.byPath).toMatchObject({ 'body.code': '门店编码只能包含字母、数字和 _ -', 'body.name': '门店名称最多 100 个字' });
    const doc = await post('/api/documents', { docType: 'loss', orgId: 1, lines: [{ productId: 1, qty: '1.2345' }] }, 'en');
    expect(doc.byPath).toMatchObject({ 'body.lines.0.qty': 'Quantity must be a number with at most 3 decimals' });
    const sale = await post('/api/pos/sales', { receiptNo: 'R1', lines: [{ productId: 1, qty: '0' }] }, 'zh-CN');
    expect(sale.byPath).toMatchObject({ 'body.clientId': '请填写单据标识', 'body.lines.0.qty': '数量必须大于 0' });
    const query = await getApp().call('admin', { method: 'GET', url: '/api/documents?pageSize=0&from=yesterday' });
    expect(query.json().errors).toMatchObject([
      { path: 'querystring.pageSize', message: '每页条数不能小于 1' },
      { path: 'querystring.from', message: '开始日期须为日期，如 2026-05-01' },
    ]);
  });
});

describe('the database refusing a value is a 400, never a 500 (safety net)', () => {
  it('maps invalid byte sequence, unsupported escape and invalid text representation to VALIDATION_FAILED', async () => {
    const { database } = getApp();
    const app = Fastify();
    app.decorateRequest('locale', 'zh-CN');
    registerErrorHandler(app, { spaShell: false });
    app.get('/nul-text', () => sql`select ${'a\u0000b'}::text as v`.execute(database.db));
    app.get('/nul-json', () => sql`select ${'{"a":"\\u0000"}'}::jsonb as v`.execute(database.db));
    app.get('/not-a-number', () => sql`select ${'12x'}::int as v`.execute(database.db));
    await app.ready();
    for (const url of ['/nul-text', '/nul-json', '/not-a-number']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body' }] });
      expect(res.json().errors[0].messageZh).toMatch(/^内容/);
    }
    await app.close();
  });
});
