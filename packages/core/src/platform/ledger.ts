import { type Dec, DomainError, dec } from '@erp/contracts';
import { type RawBuilder, sql } from '@erp/db';
import type { Ctx } from './context.js';

// The ledger kit (GUIDE "Balances"): every balance the product keeps — stored value, points, gift cards, the
// general ledger's accounts — is an append-only table of entries plus a table of balances kept in the same
// transaction, written in one statement that locks the balance rows in key order, and a recalculation that
// proves the balances from the entries. Stock is this pattern specialised (allocation, costing; see
// inventory/stock-ledger.service.ts), and builds its balance upsert and key-by-key check from the helpers below.
//
// The tables a ledger needs (in the owning module's migration; migrations never import this file):
//   <entries>  (id bigint identity, <key columns>, <value columns> numeric, <entry columns: source…>, created_at)
//              with `create trigger … before update or delete … execute function append_only()` (migration 0008)
//              and a foreign key per kind of source (see stock_ledger's generated source_* columns, 0006);
//   <balances> (<key columns> primary key, <value columns> numeric not null default 0, updated_at timestamptz).

export interface LedgerDef {
  /** What a person calls it, for messages: { zh: '积分', en: 'points' }. */
  label: { zh: string; en: string };
  entries: string;
  balances: string;
  /** Key columns, in lock order (the balance table's primary key). */
  keys: readonly string[];
  /** Numeric columns an entry adds to its balance (signed). */
  values: readonly string[];
  /** Value columns that may never go below zero (checked under the rows' locks, so concurrent spends serialise). */
  nonNegative?: readonly string[];
  /** SQL type of each key column (default int). */
  keyTypes?: Readonly<Record<string, 'int' | 'bigint' | 'text' | 'uuid'>>;
  /** The entry table's other columns an entry may fill (source, memo, business date …), with their SQL types. */
  entryColumns?: Readonly<Record<string, 'int' | 'bigint' | 'text' | 'date' | 'timestamptz' | 'numeric' | 'boolean'>>;
}

export interface LedgerEntry {
  key: Readonly<Record<string, string | number>>;
  values: Readonly<Record<string, string | number | Dec>>;
  /** Other columns of the entry row (source_type, source_id, memo, business_date …), by column name. */
  columns?: Readonly<Record<string, string | number | boolean | Date | null>>;
}

export type BalanceRow = Record<string, string | number>;

const ident = (s: string) => sql.id(s);
const keyType = (def: Pick<LedgerDef, 'keyTypes'>, k: string) => sql.raw(def.keyTypes?.[k] ?? 'int');

/**
 * `insert into <balances> … on conflict do update` adding `deltas` to the balances in key order, returning the
 * new balances — the statement that takes the rows' locks. A CTE body: use it as `b as (${balanceUpsert(...)})`.
 */
export function balanceUpsert(
  def: Pick<LedgerDef, 'balances' | 'keys' | 'values' | 'keyTypes'>,
  deltas: readonly { key: LedgerEntry['key']; values: Readonly<Record<string, string>> }[],
  extra: {
    columns: readonly string[];
    types: readonly string[];
    rows: readonly (readonly unknown[])[];
    onConflict?: RawBuilder<unknown>;
  } = {
    columns: [],
    types: [],
    rows: [],
  },
): RawBuilder<unknown> {
  const cols = [...def.keys, ...extra.columns, ...def.values];
  const arrays = [
    ...def.keys.map((k) => sql`${deltas.map((d) => d.key[k])}::${keyType(def, k)}[]`),
    ...extra.columns.map((_, i) => sql`${extra.rows.map((r) => r[i])}::${sql.raw(extra.types[i] as string)}[]`),
    ...def.values.map((v) => sql`${deltas.map((d) => d.values[v] ?? '0')}::numeric[]`),
  ];
  const names = sql.join(cols.map(ident));
  const keyList = sql.join(def.keys.map(ident));
  const sets = sql.join(
    [
      ...def.values.map((v) => sql`${ident(v)} = ${ident(def.balances)}.${ident(v)} + excluded.${ident(v)}`),
      sql`updated_at = now()`,
      ...(extra.onConflict ? [extra.onConflict] : []),
    ],
    sql`, `,
  );
  return sql`insert into ${ident(def.balances)} (${names})
      select * from unnest(${sql.join(arrays)}) as t(${names})
      order by ${keyList}
      on conflict (${keyList}) do update set ${sets}
      returning ${keyList}, ${sql.join(def.values.map(ident))}`;
}

/**
 * Posts entries: appends them and adds them to their balances, in ONE statement, balance rows locked in key
 * order. A value that may not go below zero and does is refused (LEDGER_NEGATIVE, the caller's transaction rolls
 * back and nothing is written). Returns the touched balances as they are now.
 */
export async function postLedger(ctx: Ctx, def: LedgerDef, entries: readonly LedgerEntry[]): Promise<BalanceRow[]> {
  if (!entries.length) return [];
  const deltas = new Map<string, { key: LedgerEntry['key']; values: Record<string, Dec> }>();
  for (const e of entries) {
    const id = def.keys.map((k) => String(e.key[k])).join('|');
    const d = deltas.get(id) ?? { key: e.key, values: Object.fromEntries(def.values.map((v) => [v, dec(0)])) };
    for (const v of def.values) d.values[v] = (d.values[v] as Dec).plus(dec(e.values[v] ?? 0));
    deltas.set(id, d);
  }
  const ordered = [...deltas.values()].sort((a, b) => compareKeys(def, a.key, b.key));
  const extraCols = [...new Set(entries.flatMap((e) => Object.keys(e.columns ?? {})))].sort();
  const typeOf = (c: string) => {
    const t = def.entryColumns?.[c];
    if (!t) throw new Error(`ledger ${def.entries}: column ${c} is not among its entryColumns`);
    return t;
  };
  const entryCols = [...def.keys, ...def.values, ...extraCols];
  const entryArrays = [
    ...def.keys.map((k) => sql`${entries.map((e) => e.key[k])}::${keyType(def, k)}[]`),
    ...def.values.map((v) => sql`${entries.map((e) => dec(e.values[v] ?? 0).toFixed())}::numeric[]`),
    ...extraCols.map((c) => sql`${entries.map((e) => toText(e.columns?.[c]))}::${sql.raw(typeOf(c))}[]`),
  ];
  const entryNames = sql.join(entryCols.map(ident));
  const r = await sql<BalanceRow>`
    with b as (${balanceUpsert(
      def,
      ordered.map((d) => ({
        key: d.key,
        values: Object.fromEntries(Object.entries(d.values).map(([k, v]) => [k, v.toFixed()])),
      })),
    )}),
    e as (
      insert into ${ident(def.entries)} (${entryNames})
      select ${entryNames}
        from unnest(${sql.join(entryArrays)}) as t(${entryNames})
      returning 1
    )
    select b.*, (select count(*) from e) as entries from b`.execute(ctx.db);
  const rows = r.rows.map((row) => {
    const { entries: _n, ...rest } = row as BalanceRow & { entries: unknown };
    return rest;
  });
  for (const row of rows) {
    for (const v of def.nonNegative ?? []) {
      if (dec(row[v] as string).isNegative()) {
        throw new DomainError('LEDGER_NEGATIVE', {
          ledger: def.label.zh,
          ledgerEn: def.label.en,
          key: def.keys.map((k) => String(row[k])).join('/'),
          balance: dec(row[v] as string).toFixed(),
        });
      }
    }
  }
  return rows;
}

const toText = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : String(v);

function compareKeys(def: LedgerDef, a: LedgerEntry['key'], b: LedgerEntry['key']): number {
  for (const k of def.keys) {
    const x = a[k] as string | number;
    const y = b[k] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

export interface LedgerDifference {
  key: Record<string, string | number>;
  column: string;
  entries: string;
  balance: string;
}

/**
 * The key-by-key comparison of balances with the sums of their entries (a full join, so a balance without
 * entries and entries without a balance both show), optionally within a filter on the key columns.
 */
export function keyDifferences(
  def: Pick<LedgerDef, 'entries' | 'balances' | 'keys' | 'values'>,
  where: RawBuilder<unknown> = sql`true`,
): RawBuilder<Record<string, unknown>> {
  const keys = sql.join(def.keys.map(ident));
  const sums = sql.join(def.values.map((v) => sql`sum(${ident(v)}) as ${ident(v)}`));
  const differs = sql.join(
    def.values.map((v) => sql`coalesce(l.${ident(v)}, 0) <> coalesce(b.${ident(v)}, 0)`),
    sql` or `,
  );
  const pick = sql.join(def.keys.map((k) => sql`coalesce(l.${ident(k)}, b.${ident(k)}) as ${ident(k)}`));
  const cols = sql.join(
    def.values.flatMap((v) => [
      sql`coalesce(l.${ident(v)}, 0)::text as ${sql.id(`entries_${v}`)}`,
      sql`coalesce(b.${ident(v)}, 0)::text as ${sql.id(`balance_${v}`)}`,
    ]),
  );
  return sql`select ${pick}, ${cols}
      from (select ${keys}, ${sums} from ${ident(def.entries)} where ${where} group by ${keys}) l
      full join (select ${keys}, ${sql.join(def.values.map(ident))} from ${ident(def.balances)} where ${where}) b using (${keys})
     where ${differs}`;
}

/**
 * 重算: balances proven from the entries. Reports every key whose kept balance differs from the sum of its
 * entries; with `fix`, rewrites those balances from the entries (the entries are the truth, never touched).
 */
export async function recalculateLedger(
  ctx: Ctx,
  def: LedgerDef,
  opts: { where?: RawBuilder<unknown>; fix?: boolean } = {},
): Promise<{ differences: LedgerDifference[]; fixed: boolean }> {
  const r = await keyDifferences(def, opts.where).execute(ctx.db);
  type Row = Record<string, string | number>;
  const differences: LedgerDifference[] = (r.rows as Row[]).flatMap((row) =>
    def.values
      .filter(
        (v) =>
          row[`entries_${v}`] !== row[`balance_${v}`] &&
          !dec(row[`entries_${v}`] as string).equals(row[`balance_${v}`] as string),
      )
      .map((v) => ({
        key: Object.fromEntries(def.keys.map((k) => [k, row[k] as string | number])),
        column: v,
        entries: dec(row[`entries_${v}`] as string).toFixed(),
        balance: dec(row[`balance_${v}`] as string).toFixed(),
      })),
  );
  if (!opts.fix || !differences.length) return { differences, fixed: false };
  const keys = sql.join(def.keys.map(ident));
  await sql`
    insert into ${ident(def.balances)} (${keys}, ${sql.join(def.values.map(ident))})
    select ${keys}, ${sql.join(def.values.map((v) => sql`coalesce(sum(${ident(v)}), 0)`))} from ${ident(def.entries)}
     where ${opts.where ?? sql`true`} group by ${keys}
    on conflict (${keys}) do update set ${sql.join(
      def.values.map((v) => sql`${ident(v)} = excluded.${ident(v)}`),
      sql`, `,
    )}, updated_at = now()`.execute(ctx.db);
  const missing = sql.join(
    def.keys.map((k) => sql`e.${ident(k)} = b.${ident(k)}`),
    sql` and `,
  );
  await sql`update ${ident(def.balances)} b set ${sql.join(
    def.values.map((v) => sql`${ident(v)} = 0`),
    sql`, `,
  )}, updated_at = now()
     where ${opts.where ?? sql`true`} and not exists (select 1 from ${ident(def.entries)} e where ${missing})`.execute(ctx.db);
  return { differences, fixed: true };
}
