import { z } from 'zod';
import type { FieldIssue } from './errors.js';
import { type FieldLabel, type FieldPlace, fieldPlace, isChosen } from './fields.js';
import { type Bilingual, interpolate, type Locale } from './i18n.js';
import { type AnySchema, type PathPart, unwrap } from './schema-walk.js';

// ---- clean text: the one string schema of every request

/**
 * C0 control characters other than tab, newline and carriage return, and UTF-16 surrogates that are not
 * half of a pair. PostgreSQL cannot store NUL in text or jsonb, and a lone surrogate is not text at all
 * (it has no UTF-8 form); the others are invisible and only ever arrive by accident or on purpose.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNUSABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|\p{Cs}/u;

export function isCleanText(s: string): boolean {
  return !UNUSABLE.test(s);
}

// ---- rules: refinements whose message is a template filled with the field's label

/**
 * Message templates of the checks schemas add themselves. `{label}` is the field's label (capitalised at
 * the start of an English sentence as `{Label}`); other placeholders come from the rule's params.
 */
const RULE_TEMPLATES = {
  bad_text: {
    zh: '{label}含有不能使用的字符（控制字符或残缺的文字编码）',
    en: '{Label} contains characters that cannot be used (control characters or broken text encoding)',
  },
  decimal: { zh: '{label}须为数字，最多 {places} 位小数', en: '{Label} must be a number with at most {places} decimals' },
  positive: { zh: '{label}必须大于 0', en: '{Label} must be greater than 0' },
  non_negative: { zh: '{label}不能为负数', en: '{Label} cannot be negative' },
  percent: {
    zh: '{label}须为 0–{max} 的百分数，最多 2 位小数',
    en: '{Label} must be a percentage 0–{max} with at most 2 decimals',
  },
  code_chars: { zh: '{label}只能包含字母、数字和 {chars}', en: '{Label} may contain letters, digits and {chars} only' },
  digits: { zh: '{label}须为 {min}–{max} 位数字', en: '{Label} must have {min}–{max} digits' },
  id_list: { zh: '{label}须为逗号分隔的编号', en: '{Label} must be ids separated by commas' },
  at_most_items: { zh: '{label}一次最多 {max} 个', en: '{Label}: at most {max} at a time' },
  file_type: { zh: '{label}只支持 {types} 文件', en: '{Label}: only {types} files are supported' },
  hotkey: {
    zh: '{label}须为按键名，可带 Ctrl/Alt/Shift，如 F2、Ctrl+D',
    en: '{Label} must be a key name, optionally with Ctrl/Alt/Shift, e.g. F2 or Ctrl+D',
  },
  prefix_2: { zh: '{label}须以 2 开头，1–3 位数字', en: '{Label} must be 1–3 digits starting with 2' },
  login_chars: { zh: '{label}只能包含字母、数字和 _ . @ -', en: '{Label} may contain letters, digits and _ . @ - only' },
  role_code_chars: {
    zh: '{label}只能包含小写字母、数字和下划线',
    en: '{Label} may contain lower-case letters, digits and _ only',
  },
  json_text: {
    zh: '{label}含有不能使用的字符（控制字符或残缺的文字编码）',
    en: '{Label} contains characters that cannot be used (control characters or broken text encoding)',
  },
} as const satisfies Record<string, Bilingual>;

export type RuleKind = keyof typeof RULE_TEMPLATES;

/**
 * Options for `.refine()`/`.check()` (and the message of `.regex()`, whose issue keeps no params) naming a
 * rule: the message reads "<label> must be greater than 0" with the field's own label.
 */
export function rule(kind: RuleKind, params: Record<string, string | number> = {}) {
  return { message: kind, params: { kind, ...params } };
}

/** Options for a cross-field `.refine()` / `.superRefine()` issue with its whole sentence in both languages. */
export function bilingual(zh: string, en: string, path?: (string | number)[]) {
  return { message: en, params: { zh }, ...(path ? { path } : {}) };
}

/** The check that refuses unusable characters; one instance, so a walk can tell a text schema at a glance. */
export const cleanTextCheck = z.refine<string>(isCleanText, rule('bad_text'));

/**
 * The one string schema of requests: refuses NUL, other C0 controls (tab, newline, CR allowed) and lone
 * surrogates with a field error. Chain as usual: `text().trim().min(1).max(50)`.
 */
export function text() {
  return z.string().check(cleanTextCheck);
}

/** A string that must match `pattern`, with a rule's readable message ("<label> may contain …"). */
export function pattern(re: RegExp, kind: RuleKind, params: Record<string, string | number> = {}) {
  return z.refine<string>((s) => re.test(s), rule(kind, params));
}

function dirtyStrings(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return !isCleanText(value);
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => dirtyStrings(v, depth + 1));
  return Object.entries(value).some(([k, v]) => !isCleanText(k) || dirtyStrings(v, depth + 1));
}

/** The check for free-form JSON (document attrs): every string and key inside must be clean text. */
export const cleanJsonCheck = z.refine<unknown>((v) => !dirtyStrings(v), rule('json_text'));

/**
 * Free-form JSON objects (document `attrs`, a proposal of master data): any keys and values, checked in
 * depth for unusable characters here and against their real schema by the service that reads them.
 */
export function jsonObject() {
  return z.record(text(), z.unknown()).check(cleanJsonCheck);
}

// ---- messages: one issue → one sentence naming the field, in both languages

/** Messages of zod's own checks, by what went wrong. */
const TEMPLATES = {
  required: { zh: '请填写{label}', en: 'Enter the {label}' },
  choose: { zh: '请选择{label}', en: 'Choose the {label}' },
  too_long: { zh: '{label}最多 {max} 个字', en: '{Label}: at most {max} characters' },
  too_short: { zh: '{label}至少 {min} 个字', en: '{Label}: at least {min} characters' },
  too_few: { zh: '{label}至少需要 {min} 项', en: '{Label}: at least {min} needed' },
  too_many: { zh: '{label}最多 {max} 项', en: '{Label}: at most {max}' },
  min: { zh: '{label}不能小于 {min}', en: '{Label} must be at least {min}' },
  above: { zh: '{label}必须大于 {min}', en: '{Label} must be greater than {min}' },
  max: { zh: '{label}不能大于 {max}', en: '{Label} must be at most {max}' },
  below: { zh: '{label}必须小于 {max}', en: '{Label} must be less than {max}' },
  not_number: { zh: '{label}必须是数字', en: '{Label} must be a number' },
  not_integer: { zh: '{label}必须是整数', en: '{Label} must be a whole number' },
  not_boolean: { zh: '{label}只能是“是”或“否”', en: '{Label} must be yes or no' },
  not_text: { zh: '{label}必须是文字', en: '{Label} must be text' },
  not_list: { zh: '{label}必须是列表', en: '{Label} must be a list' },
  not_object: { zh: '{label}格式不正确', en: '{Label} is not in the expected form' },
  date: { zh: '{label}须为日期，如 2026-05-01', en: '{Label} must be a date such as 2026-05-01' },
  datetime: { zh: '{label}须为带时区的日期时间', en: '{Label} must be a date and time with its time zone' },
  uuid: { zh: '{label}须为 UUID', en: '{Label} must be a UUID' },
  email: { zh: '{label}不是有效的电子邮箱', en: '{Label} is not a valid e-mail address' },
  bad_format: { zh: '{label}格式不正确', en: '{Label} is not in the right format' },
  not_choice: { zh: '{label}不是可选的值', en: '{Label} is not one of the choices' },
  not_multiple: { zh: '{label}必须是 {divisor} 的倍数', en: '{Label} must be a multiple of {divisor}' },
  unknown_keys: { zh: '{label}含有不认识的项：{keys}', en: '{Label} has fields that are not expected: {keys}' },
  invalid: { zh: '{label}不正确', en: '{Label} is not valid' },
} as const satisfies Record<string, Bilingual>;

export type MessageKind = keyof typeof TEMPLATES | RuleKind | 'custom';

/** A zod issue as it arrives: from `safeParse`, or flattened by the Fastify validator. */
export interface IssueLike {
  code?: string;
  path?: readonly PropertyKey[];
  message?: string;
  params?: Record<string, unknown>;
  expected?: string;
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  divisor?: number;
  keys?: string[];
  errors?: IssueLike[][];
}

const FALLBACK_LABEL: FieldLabel = { zh: '此项', en: 'this field' };
const ROOT_LABEL: FieldLabel = { zh: '提交的内容', en: 'the submitted data' };

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function fill(template: Bilingual, label: FieldLabel, params: Record<string, unknown>): Bilingual {
  return {
    zh: interpolate(template.zh, { ...params, label: label.zh, Label: label.zh }),
    en: interpolate(template.en, { ...params, label: label.en, Label: capitalise(label.en) }),
  };
}

function ruleOf(issue: IssueLike): RuleKind | undefined {
  const kind = issue.params?.kind ?? issue.message;
  return typeof kind === 'string' && kind in RULE_TEMPLATES ? (kind as RuleKind) : undefined;
}

function valueAt(input: unknown, path: readonly PathPart[]): unknown {
  let v = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(p)];
  }
  return v;
}

/** Whether the issue is about a value that was not given at all. */
function isMissing(issue: IssueLike, path: readonly PathPart[], input: unknown, hasInput: boolean): boolean {
  if (issue.code !== 'invalid_type' && issue.code !== 'invalid_union') return false;
  if (hasInput) {
    const v = valueAt(input, path);
    return v === undefined || v === null;
  }
  return /received (undefined|null)$/.test(issue.message ?? '');
}

function typeKind(expected: string | undefined): keyof typeof TEMPLATES {
  switch (expected) {
    case 'number':
    case 'bigint':
    case 'nan':
      return 'not_number';
    case 'int':
      return 'not_integer';
    case 'boolean':
      return 'not_boolean';
    case 'string':
      return 'not_text';
    case 'array':
      return 'not_list';
    case 'object':
    case 'record':
      return 'not_object';
    default:
      return 'invalid';
  }
}

function formatKind(format: string | undefined): keyof typeof TEMPLATES {
  if (format === 'date') return 'date';
  if (format === 'datetime') return 'datetime';
  if (format === 'uuid' || format === 'guid') return 'uuid';
  if (format === 'email') return 'email';
  return 'bad_format';
}

/** What kind of message an issue gets, and the numbers that go into it. */
function kindOf(issue: IssueLike, missing: boolean, place: FieldPlace): keyof typeof TEMPLATES {
  if (missing) return isChosen(place) ? 'choose' : 'required';
  const n = (v: unknown) => Number(v);
  switch (issue.code) {
    case 'invalid_type':
      return typeKind(issue.expected);
    case 'invalid_union': {
      const expected = (issue.errors ?? []).flat().map((e) => e.expected);
      return expected.includes('number') ? 'not_number' : 'bad_format';
    }
    case 'too_small':
      if (issue.origin === 'string') return n(issue.minimum) <= 1 ? (isChosen(place) ? 'choose' : 'required') : 'too_short';
      if (issue.origin === 'array' || issue.origin === 'set') return 'too_few';
      return issue.inclusive === false ? 'above' : 'min';
    case 'too_big':
      if (issue.origin === 'string') return 'too_long';
      if (issue.origin === 'array' || issue.origin === 'set') return 'too_many';
      return issue.inclusive === false ? 'below' : 'max';
    case 'invalid_format':
      return formatKind(issue.format);
    case 'invalid_value':
      return 'not_choice';
    case 'not_multiple_of':
      return 'not_multiple';
    case 'unrecognized_keys':
      return 'unknown_keys';
    default:
      return 'invalid';
  }
}

/** "明细第 2 行" / "Line 2" for each array on the way to the field. */
function rowPrefix(place: FieldPlace): Bilingual | undefined {
  if (!place.rows.length) return undefined;
  const parts = place.rows.map((r) => {
    const item = r.label?.item ?? { zh: `${r.label?.zh ?? ''}第 {n} 项`, en: `${capitalise(r.label?.en ?? 'item')} {n}` };
    return { zh: interpolate(item.zh, { n: r.index + 1 }), en: interpolate(item.en, { n: r.index + 1 }) };
  });
  return { zh: parts.map((p) => p.zh).join(''), en: parts.map((p) => p.en).join(', ') };
}

const REQUEST_PARTS = new Set(['body', 'querystring', 'params', 'headers']);

/**
 * A field error's message with the row it is about in front ("明细第 3 行：请填写数量" / "Line 3: Enter the
 * quantity"), for lists of errors away from the form (a toast, an alert, a log). On a form the field itself
 * shows where, so field messages carry no row.
 */
export function messageWithRow(issue: FieldIssue, locale: Locale): string {
  const parts = issue.path.split('.').filter(Boolean);
  if (parts[0] && REQUEST_PARTS.has(parts[0])) parts.shift();
  const text = locale === 'en' ? (issue.messageEn ?? issue.message) : (issue.messageZh ?? issue.message);
  const row = rowPrefix(fieldPlace(parts));
  if (!row) return text;
  return locale === 'en' ? `${row.en}: ${text}` : `${row.zh}：${text}`;
}

export interface DescribeOptions {
  /** The schema that was parsed: gives entity-scoped labels and tells array rows from numeric keys. */
  schema?: AnySchema | undefined;
  /** The value that was parsed: tells a missing value ("请填写…") from a wrong one. */
  input?: unknown;
  /** Which language `message` is in (both are always given). */
  locale?: Locale | undefined;
  /** Prepended to each path, e.g. 'body' or 'querystring'. */
  prefix?: string | undefined;
}

/** One issue as a sentence naming its field, in both languages (its row, if any, is in its path). */
export function describeIssue(issue: IssueLike, opts: DescribeOptions = {}): { kind: MessageKind; text: Bilingual } {
  const path = (issue.path ?? []).map((p) => (typeof p === 'number' ? p : String(p)));
  const place = fieldPlace(path, opts.schema, opts.input);
  const label = place.label ?? (path.length ? FALLBACK_LABEL : ROOT_LABEL);
  const ruleKind = ruleOf(issue);
  let kind: MessageKind;
  let text: Bilingual;
  if (ruleKind) {
    kind = ruleKind;
    text = fill(RULE_TEMPLATES[ruleKind], label, issue.params ?? {});
  } else if (issue.code === 'custom' && typeof issue.params?.zh === 'string') {
    // A cross-field rule's own sentence already says which field and why.
    kind = 'custom';
    text = { zh: issue.params.zh, en: issue.message ?? '' };
  } else {
    const missing = isMissing(issue, path, opts.input, 'input' in opts);
    kind = kindOf(issue, missing, place);
    const params = { min: issue.minimum, max: issue.maximum, divisor: issue.divisor, keys: (issue.keys ?? []).join(', ') };
    text = fill(TEMPLATES[kind], label, params);
  }
  return { kind, text };
}

/**
 * Issues as field errors for people: one per field (the first problem found), each naming the field in
 * zh-CN and en. The one mapping behind the API's problem details and the web's form messages.
 */
export function describeIssues(issues: readonly IssueLike[], opts: DescribeOptions = {}): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).map(String).join('.');
    const full = [opts.prefix, path].filter(Boolean).join('.');
    if (seen.has(full)) continue;
    seen.add(full);
    const { kind, text } = describeIssue(issue, opts);
    out.push({
      path: full,
      code: kind,
      message: opts.locale === 'en' ? text.en : text.zh,
      messageZh: text.zh,
      messageEn: text.en,
    });
  }
  return out;
}

/** A ZodError as field errors (see `describeIssues`); pass the schema and input when you have them. */
export function fieldIssuesFromZod(error: z.ZodError, opts: DescribeOptions = {}): FieldIssue[] {
  return describeIssues(error.issues as IssueLike[], opts);
}

/** Whether a schema, once unwrapped, is a plain string (the walk in tests uses this with `cleanTextCheck`). */
export function isTextSchema(schema: AnySchema): boolean {
  const inner = unwrap(schema);
  const d = inner._zod.def as { type: string; checks?: unknown[] };
  return d.type === 'string' && (d.checks ?? []).includes(cleanTextCheck);
}
