import {
  type AnySchema,
  acceptsUndefined,
  describeIssues,
  type FieldIssue,
  type Locale,
  messageWithRow,
  walkPath,
} from '@erp/contracts';
import type { FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { ApiError, detailText, errorText, issueText } from './api';
import { useLocale } from './i18n';

/**
 * Forms validate with the SAME Zod schemas the server uses (imported from @erp/contracts): each field checks
 * its own part of the schema as the user types, the whole schema (with cross-field refinements) runs on
 * submit, and the server's field errors land on the same fields. Messages come from the one mapping in
 * contracts (`describeIssues`), so a field reads the same whether the browser or the server caught it.
 */

type Path = (string | number)[];

/** The part of an object schema at `path`, looking through optional/nullable/default/pipe wrappers. */
export function fieldSchema(schema: z.ZodType, path: Path): z.ZodType | undefined {
  return fieldInfo(schema, path).schema;
}

/** Like fieldSchema, and whether the path runs through a record (whose entries may be left out). */
function fieldInfo(schema: z.ZodType, path: Path): { schema: z.ZodType | undefined; optionalEntry: boolean } {
  const steps = walkPath(schema as unknown as AnySchema, path);
  if (!steps) return { schema: undefined, optionalEntry: false };
  const optionalEntry = steps.some((s) => s.container._zod.def.type === 'record');
  const last = steps.length ? steps[steps.length - 1]?.schema : (schema as unknown as AnySchema);
  return { schema: last as unknown as z.ZodType | undefined, optionalEntry };
}

/** Whether a field must be filled in (not optional, nullable or defaulted): shows the asterisk. */
export function isRequired(schema: z.ZodType, path: Path): boolean {
  const info = fieldInfo(schema, path);
  const s = info.schema;
  if (!s || info.optionalEntry) return false;
  const inner = s as unknown as AnySchema;
  if (acceptsUndefined(inner) || inner._zod.def.type === 'nullable') return false;
  return !s.safeParse(undefined).success;
}

/** `value` placed at `path` in an otherwise empty input, so a field's issue can be read against the whole schema. */
function nest(path: Path, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, part) => {
    if (typeof part === 'number') {
      const arr: unknown[] = [];
      arr[part] = inner;
      return arr;
    }
    return { [part]: inner };
  }, value);
}

/** The first readable message for a field checked on its own (its path from the form's root schema). */
function fieldMessage(root: z.ZodType, path: Path, error: z.ZodError, value: unknown, locale: Locale): string {
  const issues = error.issues.map((i) => ({ ...i, path: [...path, ...i.path] }));
  const [first] = describeIssues(issues as never, { schema: root as unknown as AnySchema, input: nest(path, value), locale });
  return first?.message ?? '';
}

/** Empty inputs mean "not given": '' and null become undefined (or null for `emptyAs: 'null'`, to clear a value). */
export function cleanValues<T>(values: T, emptyAs: 'undefined' | 'null' = 'undefined'): T {
  if (Array.isArray(values)) return values.map((v) => cleanValues(v, emptyAs)) as T;
  if (values && typeof values === 'object' && !(values instanceof Date) && !('$d' in (values as object))) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
      const c = v === '' || v === null ? (emptyAs === 'null' ? null : undefined) : cleanValues(v, emptyAs);
      if (c !== undefined) out[k] = c;
    }
    return out as T;
  }
  return values;
}

function toNamePath(path: string): Path {
  const parts = path.split('.').filter(Boolean);
  if (parts[0] === 'body' || parts[0] === 'querystring' || parts[0] === 'params') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Puts field issues on the form's fields; returns the issues no field took (shown as a general error). */
export function applyFieldIssues(form: FormInstance, issues: FieldIssue[]): FieldIssue[] {
  const registered = new Set(
    form
      .getFieldsError()
      .map((f) => JSON.stringify(f.name))
      .filter(Boolean),
  );
  const byField = new Map<string, { name: Path; errors: string[] }>();
  const unplaced: FieldIssue[] = [];
  for (const issue of issues) {
    const name = toNamePath(issue.path);
    const key = JSON.stringify(name);
    if (!name.length || !registered.has(key)) {
      unplaced.push(issue);
      continue;
    }
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(issueText(issue));
    byField.set(key, entry);
  }
  form.setFields([...byField.values()].map((f) => ({ name: f.name, errors: f.errors })));
  if (byField.size) {
    const first = [...byField.values()][0]!;
    form.scrollToField(first.name, { block: 'center' });
  }
  return unplaced;
}

export interface SubmitOptions {
  /** What an empty input means everywhere: not given (default) or null (clear the value). */
  emptyAs?: 'undefined' | 'null';
  /** Top-level fields whose empty input means null (clear it) while others stay "not given". */
  nullKeys?: readonly string[];
}

export interface ZodForm<S extends z.ZodType> {
  /** antd rules for a field: its own part of the schema, in the user's language. */
  rules(path: string | Path): Rule[];
  required(path: string | Path): boolean;
  /** `{...zf.item('code')}` on a Form.Item: name, rules and the required mark. */
  item(path: string | Path): { name: string | Path; rules: Rule[]; required: boolean };
  /**
   * Validates all values with the full schema and calls `send` with the parsed command; server errors are
   * mapped onto fields, anything else becomes `error` (shown by <FormError>).
   */
  submit(values: unknown, send: (cmd: z.output<S>) => Promise<unknown>, opts?: SubmitOptions): Promise<boolean>;
  submitting: boolean;
  error: string | null;
  setError(e: string | null): void;
}

export function useZodForm<S extends z.ZodType>(schema: S, form: FormInstance): ZodForm<S> {
  const { locale } = useLocale();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const rules = useCallback(
    (p: string | Path): Rule[] => {
      const path = typeof p === 'string' ? [p] : p;
      const { schema: s, optionalEntry } = fieldInfo(schema, path);
      if (!s) return [];
      return [
        {
          validator: async (_rule, value) => {
            const v = value === '' || value === null ? undefined : value;
            if (v === undefined && optionalEntry) return;
            const r = s.safeParse(v);
            if (r.success) return;
            throw new Error(fieldMessage(schema, path, r.error, v, locale));
          },
        },
      ];
    },
    [schema, locale],
  );

  const required = useCallback((p: string | Path) => isRequired(schema, typeof p === 'string' ? [p] : p), [schema]);

  const submit = useCallback(
    async (values: unknown, send: (cmd: z.output<S>) => Promise<unknown>, opts?: SubmitOptions) => {
      setError(null);
      const cleaned = cleanValues(values, opts?.emptyAs) as Record<string, unknown>;
      for (const k of opts?.nullKeys ?? []) if (cleaned[k] === undefined) cleaned[k] = null;
      const parsed = schema.safeParse(cleaned);
      if (!parsed.success) {
        const issues = describeIssues(parsed.error.issues as never, {
          schema: schema as unknown as AnySchema,
          input: cleaned,
          locale,
        });
        const rest = applyFieldIssues(form, issues);
        if (rest.length) setError(rest.map((i) => messageWithRow(i, locale)).join('；'));
        return false;
      }
      setSubmitting(true);
      try {
        await send(parsed.data);
        return true;
      } catch (e) {
        if (e instanceof ApiError) {
          const rest = applyFieldIssues(form, e.fieldErrors);
          const detail = detailText(e);
          const extra = rest.map((i) => messageWithRow(i, locale)).filter((m) => m && m !== detail);
          setError(extra.length ? `${detail}：${extra.join('；')}` : detail);
        } else setError(errorText(e));
        return false;
      } finally {
        setSubmitting(false);
      }
    },
    [schema, locale, form],
  );

  const item = useCallback((p: string | Path) => ({ name: p, rules: rules(p), required: required(p) }), [rules, required]);

  return { rules, required, item, submit, submitting, error, setError };
}
