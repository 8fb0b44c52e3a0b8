import { dec, type ImportIssue } from '@erp/contracts';
import { TIME_ZONE } from '../platform/clock.js';

/** One column of an import file. Headers match the key, the Chinese or the English name (case and spaces ignored). */
export interface ColumnDef {
  key: string;
  zh: string;
  en: string;
  required?: boolean;
  /** Kept as text in the template (codes and barcodes lose leading zeros as numbers). */
  text?: boolean;
  help: [string, string];
  example: string;
}

function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/[*＊\s_]/g, '')
    .replace(/[（(].*[)）]$/, '');
}

/** Column index by key for a header row; unknown headers are ignored. */
export function mapHeaders(headers: string[], columns: ColumnDef[]): Map<string, number> {
  const out = new Map<string, number>();
  headers.forEach((h, i) => {
    const n = norm(h);
    const full = h.toLowerCase().replace(/\s/g, '');
    const col = columns.find((c) =>
      [c.key, c.zh, c.en].some((name) => norm(name) === n || name.toLowerCase().replace(/\s/g, '') === full),
    );
    if (col && !out.has(col.key)) out.set(col.key, i);
  });
  return out;
}

/**
 * Reads one data row's cells by column key and collects what is wrong with them, in both languages. A
 * row with any issue is a bad row.
 */
export class RowReader {
  readonly issues: ImportIssue[] = [];

  constructor(
    readonly rowNo: number,
    private readonly cells: string[],
    private readonly index: Map<string, number>,
    private readonly columns: ColumnDef[],
  ) {}

  get ok(): boolean {
    return this.issues.length === 0;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  raw(key: string): string {
    const i = this.index.get(key);
    return i === undefined ? '' : (this.cells[i] ?? '').trim();
  }

  private label(key: string): string {
    const c = this.columns.find((x) => x.key === key);
    return c ? c.zh : key;
  }

  bad(key: string | null, zh: string, en: string): null {
    this.issues.push({ row: this.rowNo, column: key ? this.label(key) : null, value: key ? this.raw(key) : null, zh, en });
    return null;
  }

  /** Text, or null when empty; `required` reports an empty cell. */
  text(key: string, opts: { required?: boolean; max?: number } = {}): string | null {
    const v = this.raw(key);
    if (v === '') return opts.required ? this.bad(key, '必填', 'Required') : null;
    if (opts.max && v.length > opts.max) return this.bad(key, `最长 ${opts.max} 个字符`, `At most ${opts.max} characters`);
    return v;
  }

  code(key: string, opts: { required?: boolean } = {}): string | null {
    const v = this.text(key, { ...opts, max: 32 });
    if (v !== null && !/^[A-Za-z0-9._-]+$/.test(v))
      return this.bad(key, '编码只能包含字母、数字和 - . _', 'Codes may contain letters, digits and - . _ only');
    return v;
  }

  decimal(key: string, opts: { places: number; min?: number; max?: number; required?: boolean }): string | null {
    const v = this.raw(key).replace(/[,，￥¥%]/g, '');
    if (v === '') return opts.required ? this.bad(key, '必填', 'Required') : null;
    if (!/^-?\d+(\.\d+)?$/.test(v)) return this.bad(key, '不是数字', 'Not a number');
    const d = dec(v);
    if (d.decimalPlaces() > opts.places)
      return this.bad(key, `最多 ${opts.places} 位小数`, `At most ${opts.places} decimal places`);
    if (opts.min !== undefined && d.lessThan(opts.min))
      return this.bad(key, `不能小于 ${opts.min}`, `Must be at least ${opts.min}`);
    if (opts.max !== undefined && d.greaterThan(opts.max))
      return this.bad(key, `不能大于 ${opts.max}`, `Must be at most ${opts.max}`);
    return d.toFixed();
  }

  int(key: string, opts: { min?: number; max?: number } = {}): number | null {
    const v = this.decimal(key, { places: 0, ...opts });
    return v === null ? null : Number(v);
  }

  /** 是/否, Y/N, yes/no, true/false, 1/0, √; empty = null (unchanged). */
  bool(key: string): boolean | null {
    const v = this.raw(key).toLowerCase();
    if (v === '') return null;
    if (['是', 'y', 'yes', 'true', '1', '√', '✓', 't'].includes(v)) return true;
    if (['否', 'n', 'no', 'false', '0', '×', 'f'].includes(v)) return false;
    return this.bad(key, '请填“是”或“否”', 'Use yes or no');
  }

  /** A value from a fixed set, accepting the code or either language's label. */
  choice<T extends string>(
    key: string,
    options: Record<T, { zh: string; en: string }>,
    opts: { required?: boolean } = {},
  ): T | null {
    const v = this.raw(key);
    if (v === '') return opts.required ? this.bad(key, '必填', 'Required') : null;
    const lower = v.toLowerCase();
    for (const [k, label] of Object.entries(options) as [T, { zh: string; en: string }][]) {
      if (k.toLowerCase() === lower || label.zh === v || label.en.toLowerCase() === lower) return k;
    }
    const list = Object.entries(options as Record<string, { zh: string; en: string }>);
    return this.bad(key, `只能是：${list.map(([, l]) => l.zh).join('、')}`, `Must be one of: ${list.map(([k]) => k).join(', ')}`);
  }

  /** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:mm[:ss]' as wall-clock time in the chain's time zone (or ISO with offset). */
  dateTime(key: string): Date | null {
    const v = this.raw(key);
    if (v === '') return null;
    if (/[zZ]|[+-]\d\d:?\d\d$/.test(v) && !Number.isNaN(Date.parse(v))) return new Date(v);
    const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
    if (!m) return this.bad(key, '日期格式应为 2026-01-31 或 2026-01-31 08:00', 'Use a date like 2026-01-31 or 2026-01-31 08:00');
    const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
    return wallTime(y as number, mo as number, d as number, h as number, mi as number, s as number);
  }
}

/** Offset (ms) of the chain's time zone from UTC at an instant. */
function zoneOffset(instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant;
}

/** The instant a wall-clock time in the chain's time zone names. */
export function wallTime(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(guess - zoneOffset(guess - zoneOffset(guess)));
}
