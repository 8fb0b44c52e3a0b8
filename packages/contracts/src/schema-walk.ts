import type { z } from 'zod';

/**
 * Reading Zod schemas as data: the one walker behind field labels (fields.ts), readable messages
 * (validation.ts), the web's per-field form rules and the tests that check every route's schemas.
 * It looks through wrappers (optional, nullable, default, pipe, lazy…) the way a value travels.
 */

export type AnySchema = z.core.$ZodType;
export type PathPart = string | number;

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  element?: AnySchema;
  keyType?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  getter?: () => AnySchema;
  checks?: unknown[];
  format?: string;
}

export function defOf(s: AnySchema): Def {
  return s._zod.def as unknown as Def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional', 'success']);

/**
 * The schema itself and each schema inside its wrappers, outermost first. A pipe is read on its input
 * side (what the client sends), except a preprocess, whose input is a function and whose output checks.
 */
export function unwrapChain(schema: AnySchema): AnySchema[] {
  const chain: AnySchema[] = [];
  let s: AnySchema | undefined = schema;
  for (let i = 0; s && i < 32; i++) {
    chain.push(s);
    const d = defOf(s);
    if (WRAPPERS.has(d.type)) s = d.innerType;
    else if (d.type === 'pipe') s = d.in && defOf(d.in).type === 'transform' ? d.out : d.in;
    else if (d.type === 'lazy' && d.getter) s = d.getter();
    else s = undefined;
  }
  return chain;
}

/** The innermost schema under the wrappers: the one that says what kind of value this is. */
export function unwrap(schema: AnySchema): AnySchema {
  const chain = unwrapChain(schema);
  return chain[chain.length - 1] as AnySchema;
}

/** Whether `undefined` passes (optional, defaulted): a field the user may leave empty. */
export function acceptsUndefined(schema: AnySchema): boolean {
  return schema._zod.optin === 'optional' || schema._zod.optout === 'optional' || schema._zod.optin === 'defaulted';
}

/** One step of a walk: the field's key in its object, the object's schema, and the field's schema. */
export interface Step {
  part: PathPart;
  /** The object (or record/array) schema the step was taken in, unwrapped. */
  container: AnySchema;
  /** The schema reached, still wrapped. */
  schema: AnySchema;
}

/** The object options of a union that have `key` (a discriminated union's branches share most keys). */
function unionOptionWith(options: AnySchema[], key: PathPart): AnySchema | undefined {
  for (const o of options) {
    const inner = unwrap(o);
    const d = defOf(inner);
    if (d.type === 'object' && typeof key === 'string' && d.shape?.[key]) return d.shape[key];
    if (d.type === 'union') {
      const found = unionOptionWith(d.options ?? [], key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Follows `path` from `root`: every step taken, or undefined where the path leaves the schema. */
export function walkPath(root: AnySchema, path: readonly PathPart[]): Step[] | undefined {
  const steps: Step[] = [];
  let s = root;
  for (const part of path) {
    const container = unwrap(s);
    const d = defOf(container);
    let next: AnySchema | undefined;
    if (d.type === 'object') next = typeof part === 'string' ? d.shape?.[part] : undefined;
    else if (d.type === 'array') next = typeof part === 'number' || /^\d+$/.test(String(part)) ? d.element : undefined;
    else if (d.type === 'record') next = d.valueType;
    else if (d.type === 'union') next = unionOptionWith(d.options ?? [], part);
    else if (d.type === 'tuple') next = undefined;
    if (!next) return undefined;
    steps.push({ part, container, schema: next });
    s = next;
  }
  return steps;
}

/** The schema at `path` (still wrapped), or undefined. */
export function schemaAt(root: AnySchema, path: readonly PathPart[]): AnySchema | undefined {
  if (!path.length) return root;
  const steps = walkPath(root, path);
  return steps ? steps[steps.length - 1]?.schema : undefined;
}

/** What `visitSchema` reports for each schema it meets. */
export interface Visit {
  /** Path from the root: object keys, '#' for an array element, '*' for a record value, '[key]' for a record key. */
  path: string[];
  /** The schema as written at this place (wrappers included). */
  schema: AnySchema;
  /** Every schema in its wrapper chain, outermost first (the last one is the unwrapped kind). */
  chain: AnySchema[];
}

/**
 * Visits every schema reachable from `root`, depth first: object fields, array elements, record keys and
 * values, union options, both sides of a pipe. `visit` returns false to stop descending below a schema.
 */
export function visitSchema(root: AnySchema, visit: (v: Visit) => boolean | undefined, path: string[] = []): void {
  const chain = unwrapChain(root);
  if (visit({ path, schema: root, chain }) === false) return;
  for (const s of chain) {
    const d = defOf(s);
    // A pipe's output side is checked too (a preprocess/transform feeding a schema).
    if (d.type === 'pipe' && d.out && !chain.includes(d.out) && defOf(d.out).type !== 'transform')
      visitSchema(d.out, visit, path);
  }
  const inner = chain[chain.length - 1] as AnySchema;
  const d = defOf(inner);
  if (d.type === 'object') for (const [k, v] of Object.entries(d.shape ?? {})) visitSchema(v, visit, [...path, k]);
  else if (d.type === 'array' && d.element) visitSchema(d.element, visit, [...path, '#']);
  else if (d.type === 'record') {
    if (d.keyType) visitSchema(d.keyType, visit, [...path, '[key]']);
    if (d.valueType) visitSchema(d.valueType, visit, [...path, '*']);
  } else if (d.type === 'union') for (const o of d.options ?? []) visitSchema(o, visit, path);
}
