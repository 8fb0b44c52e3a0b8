import { type DB, sql, type Transaction } from '@erp/db';
import { hashToken } from '../auth/session.service.js';

/**
 * What the checkout needs to know about a till session, kept in memory for a few seconds so the hot path
 * does not read it on every sale. Safe to cache: a till that is disabled or re-paired ends its sessions
 * (checked fresh on every request by the session resolver); the business day is re-checked inside the
 * sale's write (see WriteGuard); settings and mode changes reach the till within TTL_MS.
 */
export interface CachedTill {
  key: string;
  sessionId: number;
  userId: number;
  storeId: number;
  terminalId: number;
  terminalCode: string;
  status: string;
  tokenHash: string | null;
  receiptPrefix: string;
  warehouseId: number | null;
  businessMode: 'supermarket' | 'wholesale';
  roundingUnit: '0' | '0.1' | '1';
  roundingMode: 'down' | 'half_up';
  /** The store sells expired lots in plain FEFO order (pos_store_settings.sell_expired). */
  sellExpired: boolean;
  lastClosed: string | null;
  /** pos_store_settings.sync_seq when read; null when the store has no settings row yet. */
  settingsSeq: number | null;
  blocks: [number, number][];
  loadedAt: number;
  /** Sale and line ids taken from the sequences in advance (hi/lo), so a sale needs no round trip for them. */
  saleIds: number[];
  lineIds: number[];
}

export const TTL_MS = 10_000;
const MAX_ENTRIES = 5000;
const cache = new Map<string, CachedTill>();

/** Keyed by session and till token: unique even when one process serves several databases (the benchmarks). */
function keyOf(sessionId: number, terminalToken: string): string {
  return `${sessionId}:${hashToken(terminalToken)}`;
}

export async function cachedTill(db: Transaction<DB>, sessionId: number, terminalToken: string): Promise<CachedTill | undefined> {
  const key = keyOf(sessionId, terminalToken);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.loadedAt < TTL_MS) return hit;
  const r = await sql<
    Omit<CachedTill, 'key' | 'sessionId' | 'loadedAt' | 'saleIds' | 'lineIds'> & { blocks: [number, number][] | null }
  >`
    select s.user_id as "userId", s.store_id as "storeId", t.id as "terminalId", t.code as "terminalCode", t.status,
           t.token_hash as "tokenHash", t.receipt_prefix as "receiptPrefix",
           (select w.id from warehouse w where w.org_id = s.store_id and w.is_default and w.active) as "warehouseId",
           coalesce(op.business_mode, 'supermarket') as "businessMode",
           coalesce(ps.rounding_unit, '0') as "roundingUnit", coalesce(ps.rounding_mode, 'down') as "roundingMode",
           coalesce(ps.sell_expired, false) as "sellExpired",
           (select max(b.day) from business_day b where b.org_id = s.store_id)::text as "lastClosed",
           ps.sync_seq as "settingsSeq",
           (select json_agg(json_build_array(rb.first_no, rb.last_no) order by rb.first_no)
              from pos_receipt_block rb where rb.terminal_id = t.id) as blocks
      from pos_till_session s
      join pos_terminal t on t.id = s.terminal_id
      left join pos_store_settings ps on ps.store_id = s.store_id
      left join org_params op on op.org_id = s.store_id
     where s.session_id = ${sessionId}`.execute(db);
  const row = r.rows[0];
  if (!row) {
    cache.delete(key);
    return undefined;
  }
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  const entry: CachedTill = {
    ...row,
    key,
    sessionId,
    settingsSeq: row.settingsSeq === null ? null : Number(row.settingsSeq),
    blocks: (row.blocks ?? []).map(([a, b]) => [Number(a), Number(b)]),
    loadedAt: Date.now(),
    saleIds: hit?.saleIds ?? [],
    lineIds: hit?.lineIds ?? [],
  };
  cache.set(key, entry);
  return entry;
}

/** Drops what this process cached for a store (its settings, mode or day changed). */
export function forgetStore(storeId: number): void {
  for (const [k, v] of cache) if (v.storeId === storeId) cache.delete(k);
}

export function forgetTill(entry: CachedTill): void {
  cache.delete(entry.key);
}

const BLOCK = 200;

/** Ids for a new sale and its lines from the till's reserve, refilled from the sequences when it runs low. */
export async function takeIds(
  db: Transaction<DB>,
  till: CachedTill,
  lines: number,
): Promise<{ saleId: number; lineIds: number[] }> {
  if (till.saleIds.length < 1 || till.lineIds.length < lines) {
    const r = await sql<{ s: number[]; l: number[] }>`
      select array(select nextval('pos_sale_seq') from generate_series(1, ${BLOCK}::int)) as s,
             array(select nextval('pos_sale_line_seq') from generate_series(1, ${Math.max(BLOCK * 5, lines)}::int)) as l`.execute(
      db,
    );
    const row = r.rows[0] as { s: number[]; l: number[] };
    till.saleIds.push(...row.s.map(Number));
    till.lineIds.push(...row.l.map(Number));
  }
  return { saleId: till.saleIds.shift() as number, lineIds: till.lineIds.splice(0, lines) };
}
