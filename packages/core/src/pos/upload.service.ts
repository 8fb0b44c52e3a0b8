import {
  DomainError,
  errorMessage,
  fieldIssuesFromZod,
  isDomainError,
  moneyString,
  type UploadCommand,
  type UploadSaleCommand,
  uploadBody,
  uploadErrorEditBody,
  uploadSale,
} from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service.js';
import { getVisibleOrg } from '../org/org.service.js';
import { addDays, calendarDay } from '../platform/clock.js';
import { authorize, type Ctx } from '../platform/context.js';
import { usersWithGrantAtStore } from './pos.access.js';
import {
  cashKept,
  earliestUnclosedDay,
  isLateSale,
  offlineBusinessDay,
  rawSaleFingerprint,
  saleFieldName,
  saleFingerprint,
  unstorableTextPath,
  visibleText,
} from './pos.rules.js';
import { basePrices } from './pricing.pipeline.js';
import type { PreparedSale } from './sale.models.js';
import { allocateSaleIds, clearSaleContent, insertSales, lockClientIds, lockStoreDays } from './sale.repository.js';
import { postSaleStock, prepareSale, type SaleEnv, type SaleInput } from './sale.service.js';
import { applyOfflineShifts } from './shift.service.js';
import { resolveTill, type TillAuth } from './terminal.service.js';

// POS-9: offline upload (脱机上传). The till uploads what it sold while the server was unreachable; each sale
// is applied once (its client id, serialised across concurrent uploads), lands on a business day by an
// explicit rule (late when its own day has closed), and anything that cannot be applied — a field that does
// not validate included — goes to an error queue, exactly as sent, for a supervisor to correct and retry.
// One bad sale never fails the batch: the answer is a result per sale. Nothing is dropped silently.

export interface UploadProblem {
  code: string;
  params: Record<string, unknown>;
  messages: { 'zh-CN': string; en: string };
}

export type UploadResult =
  | { clientId: string; receiptNo: string; result: 'accepted'; saleId: number; businessDay: string; late: boolean }
  | { clientId: string; receiptNo: string; result: 'duplicate'; saleId: number; businessDay: string; late: boolean }
  | { clientId: string; receiptNo: string; result: 'queued'; errorId: number; error: UploadProblem };

interface StoreEnvRow {
  store_code: string;
  terminal_code: string;
  receipt_prefix: string;
  rounding_unit: '0' | '0.1' | '1';
  rounding_mode: 'down' | 'half_up';
  sell_expired: boolean;
  business_mode: 'supermarket' | 'wholesale';
  warehouse_id: number | null;
  last_closed: string | null;
  allow_offline_authorization: boolean;
}

async function storeEnv(db: Transaction<DB>, storeId: number, terminalId: number): Promise<StoreEnvRow> {
  const r = await sql<StoreEnvRow>`
    select o.code as store_code, t.code as terminal_code, t.receipt_prefix,
           coalesce(ps.rounding_unit, '0') as rounding_unit, coalesce(ps.rounding_mode, 'down') as rounding_mode,
           coalesce(ps.sell_expired, false) as sell_expired,
           coalesce(op.business_mode, 'supermarket') as business_mode,
           coalesce(ps.allow_offline_authorization, true) as allow_offline_authorization,
           (select w.id from warehouse w where w.org_id = o.id and w.is_default and w.active) as warehouse_id,
           (select max(b.day) from business_day b where b.org_id = o.id)::text as last_closed
      from org o
      join pos_terminal t on t.id = ${terminalId} and t.store_id = o.id
      left join pos_store_settings ps on ps.store_id = o.id
      left join org_params op on op.org_id = o.id
     where o.id = ${storeId}`.execute(db);
  const row = r.rows[0];
  if (!row) throw new DomainError('NOT_FOUND', { entity: 'terminal', id: terminalId });
  return row;
}

type UploadSaleInput = SaleInput & { terminalId: number; cashierId: number; soldAt: string };

/** A sale of the upload as sent: the body (exactly), its parse, and the fingerprint of what the till sent. */
interface Item {
  clientId: string;
  /** Shown and stored (the characters text cannot hold made visible). */
  receiptNo: string;
  raw: Record<string, unknown>;
  cmd: UploadSaleInput | null;
  invalid: DomainError | null;
  fingerprint: string;
  /** Its open queue row, when it is one (a retry, or the same sale uploaded again). */
  queued: ErrorRow | null;
}

/**
 * Checks one uploaded sale on its own: the schema, then text the database cannot keep. A failure names the
 * field in both languages (POS_UPLOAD_INVALID) instead of failing the batch.
 */
function readSale(raw: Record<string, unknown>): { cmd: UploadSaleInput | null; invalid: DomainError | null } {
  const parsed = uploadSale.safeParse(raw);
  if (!parsed.success) {
    const issue = fieldIssuesFromZod(parsed.error)[0];
    const path = parsed.error.issues[0]?.path ?? [];
    return { cmd: null, invalid: invalidField(path, issue?.messageZh ?? '格式不正确', issue?.messageEn ?? 'invalid') };
  }
  const bad = unstorableTextPath(raw);
  if (bad)
    return {
      cmd: null,
      invalid: invalidField(bad, '含有无法保存的字符（如 NUL）', 'holds a character that cannot be stored (such as NUL)'),
    };
  return { cmd: parsed.data as UploadSaleInput, invalid: null };
}

function invalidField(path: readonly PropertyKey[], reasonZh: string, reasonEn: string): DomainError {
  const keys = path.filter((p): p is string | number => typeof p !== 'symbol');
  const name = saleFieldName(keys);
  return new DomainError('POS_UPLOAD_INVALID', {
    field: keys.join('.'),
    fieldZh: name.zh,
    fieldEn: name.en,
    reasonZh,
    reasonEn,
  });
}

function problem(ctx: Ctx, e: unknown): UploadProblem {
  if (isDomainError(e)) {
    const params = visibleText(e.params);
    return {
      code: e.code,
      params,
      messages: { 'zh-CN': errorMessage(e.code, 'zh-CN', params), en: errorMessage(e.code, 'en', params) },
    };
  }
  // Not a rule of ours: the person sees the request number (support finds the detail kept with it).
  const params = { requestId: ctx.requestId, detail: visibleText((e instanceof Error ? e.message : String(e)).slice(0, 300)) };
  return {
    code: 'INTERNAL',
    params,
    messages: { 'zh-CN': errorMessage('INTERNAL', 'zh-CN', params), en: errorMessage('INTERNAL', 'en', params) },
  };
}

interface Target {
  storeId: number;
  terminalId: number;
}

/** The sale a supervisor retries from the queue: its row (payload as it now stands, the till's fingerprint). */
interface ApplyOptions {
  retryOf?: ErrorRow;
}

function itemOf(raw: Record<string, unknown>, queued: ErrorRow | null, retry: boolean): Item {
  const { cmd, invalid } = readSale(raw);
  const receipt = raw.receiptNo;
  return {
    clientId: String(raw.clientId),
    receiptNo: visibleText(typeof receipt === 'string' ? receipt : receipt === undefined ? '' : String(receipt)),
    raw,
    cmd,
    invalid,
    // A retried queue row keeps the fingerprint of what the till sent, so the till's next upload of the
    // same sale is recognised as a duplicate even after a supervisor's correction.
    fingerprint: retry && queued?.client_fingerprint ? queued.client_fingerprint : fingerprintOf(raw, cmd),
    queued,
  };
}

function fingerprintOf(raw: Record<string, unknown>, cmd: UploadSaleInput | null): string {
  return cmd ? saleFingerprint(cmd) : rawSaleFingerprint(raw);
}

interface ExistingSale {
  id: number;
  client_id: string;
  status: string;
  store_id: number;
  kind: string;
  business_day: string;
  late: boolean;
  client_fingerprint: string | null;
  receipt_no: string;
}

async function existingSales(db: Transaction<DB>, clientIds: readonly string[]): Promise<Map<string, ExistingSale>> {
  if (!clientIds.length) return new Map();
  const rows = await db
    .selectFrom('pos_sale')
    .select(['id', 'client_id', 'status', 'store_id', 'kind', 'business_day', 'late', 'client_fingerprint', 'receipt_no'])
    .where('client_id', 'in', [...clientIds])
    .execute();
  return new Map(rows.map((r) => [r.client_id, { ...r, id: Number(r.id) } as ExistingSale]));
}

async function queuedRows(db: Transaction<DB>, clientIds: readonly string[]): Promise<Map<string, ErrorRow>> {
  if (!clientIds.length) return new Map();
  const rows = (await db
    .selectFrom('pos_upload_error')
    .selectAll()
    .where('client_id', 'in', [...clientIds])
    .forUpdate()
    .execute()) as ErrorRow[];
  return new Map(rows.map((r) => [r.client_id, r]));
}

/** The answer for a client id that already has its sale: a duplicate, unless it is another sale's id. */
function duplicateOf(item: Item, ex: ExistingSale, storeId: number): UploadResult | DomainError {
  if (ex.store_id !== storeId || ex.kind !== 'sale') return new DomainError('POS_SALE_CONFLICT', { clientId: item.clientId });
  if (ex.client_fingerprint !== null && ex.client_fingerprint !== item.fingerprint) {
    return new DomainError('POS_CLIENT_ID_REUSED', { clientId: item.clientId, receiptNo: ex.receipt_no });
  }
  return {
    clientId: item.clientId,
    receiptNo: item.receiptNo,
    result: 'duplicate',
    saleId: ex.id,
    businessDay: ex.business_day,
    late: ex.late,
  };
}

/**
 * Applies offline sales for a till (the upload, and a supervisor's retry of a queued one). Returns a result
 * per sale. Fast path: every sale's stock and then ONE write for all, inside a savepoint; if anything fails,
 * back to the savepoint and sale by sale, each in its own savepoint, failures going to the error queue.
 */
export async function applyOfflineSales(
  ctx: Ctx,
  target: Target,
  sales: readonly Record<string, unknown>[],
  opts: ApplyOptions = {},
): Promise<UploadResult[]> {
  // The same sale twice in one outbox is one sale.
  const raws = [...new Map(sales.map((s) => [String(s.clientId), s])).values()];
  await lockStoreDays(ctx.db, [target.storeId]);
  const clientIds = raws.map((r) => String(r.clientId));
  // Concurrent uploads of the same sales wait here for each other, before anyone looks for the sales.
  await lockClientIds(ctx.db, clientIds);
  const env0 = await storeEnv(ctx.db, target.storeId, target.terminalId);
  const today = calendarDay();
  const existingBy = await existingSales(ctx.db, clientIds);
  const queuedBy = opts.retryOf ? new Map([[opts.retryOf.client_id, opts.retryOf]]) : await queuedRows(ctx.db, clientIds);

  const results = new Map<string, UploadResult>();
  const failures = new Map<string, unknown>();
  const items: Item[] = [];
  for (const raw of raws) {
    const queued = queuedBy.get(String(raw.clientId)) ?? null;
    const sent = itemOf(raw, queued, opts.retryOf !== undefined);
    const item = applicableItem(sent, queued, opts.retryOf !== undefined);
    items.push(item);
    const ex = existingBy.get(item.clientId);
    if (ex?.status === 'formal') {
      const dup = duplicateOf(item, ex, target.storeId);
      if (dup instanceof DomainError) failures.set(item.clientId, dup);
      else results.set(item.clientId, dup);
      continue;
    }
    const refusal = queueRefusal(sent, queued, opts.retryOf !== undefined);
    if (refusal) failures.set(item.clientId, refusal);
    else if (item.invalid) failures.set(item.clientId, item.invalid);
  }
  const toPrepare = items.filter((i) => !results.has(i.clientId) && !failures.has(i.clientId));
  const cmds = toPrepare.map((i) => i.cmd as UploadSaleInput);
  const cashiers = await usersWithGrantAtStore(ctx.db, target.storeId, 'pos.sale', 'create', [
    ...new Set(cmds.map((c) => c.cashierId)),
  ]);
  const shiftIds = [...new Set(cmds.map((c) => c.shiftId).filter((s): s is string => !!s))];
  const shifts = shiftIds.length
    ? await ctx.db.selectFrom('pos_shift').select(['id', 'terminal_id']).where('id', 'in', shiftIds).execute()
    : [];
  const shiftOk = new Set(shifts.filter((s) => s.terminal_id === target.terminalId).map((s) => s.id));
  const receiptOk = await receiptsInBlocks(ctx.db, target.terminalId, env0.receipt_prefix, cmds);
  const prices = await basePrices(ctx.db, {
    storeId: target.storeId,
    productIds: [...new Set(cmds.flatMap((c) => c.lines.map((l) => l.productId)))],
    priceTypes: ['retail', 'member'],
    at: new Date(),
  });
  const ids = await allocateSaleIds(
    ctx.db,
    cmds.length,
    cmds.reduce((n, c) => n + c.lines.length, 0),
  );

  const prepared: PreparedSale[] = [];
  let saleIx = 0;
  let lineIx = 0;
  for (const item of toPrepare) {
    const cmd = item.cmd as UploadSaleInput;
    const ex = existingBy.get(cmd.clientId);
    const saleId = ids.saleIds[saleIx++] as number;
    const lineIds = ids.lineIds.slice(lineIx, lineIx + cmd.lines.length);
    lineIx += cmd.lines.length;
    try {
      if (cmd.terminalId !== target.terminalId) throw new DomainError('POS_WRONG_TERMINAL', { terminal: String(cmd.terminalId) });
      if (ex && (ex.store_id !== target.storeId || ex.kind !== 'sale' || ex.status === 'void')) {
        throw new DomainError('POS_SALE_CONFLICT', { clientId: cmd.clientId });
      }
      if (!cashiers.has(cmd.cashierId))
        throw new DomainError('POS_NOT_A_CASHIER', { login: String(cmd.cashierId), store: env0.store_code });
      if (!receiptOk.has(cmd.receiptNo))
        throw new DomainError('POS_RECEIPT_OUT_OF_RANGE', { receiptNo: cmd.receiptNo, terminal: env0.terminal_code });
      if (cmd.shiftId && !shiftOk.has(cmd.shiftId)) throw new DomainError('NOT_FOUND', { entity: 'shift', id: cmd.shiftId });
      if (!env0.warehouse_id) throw new DomainError('ORG_HOLDS_NO_GOODS', { org: env0.store_code });
      const saleDay = calendarDay(new Date(cmd.soldAt));
      const env: SaleEnv = {
        storeId: target.storeId,
        terminalId: target.terminalId,
        terminalCode: env0.terminal_code,
        cashierId: cmd.cashierId,
        warehouseId: env0.warehouse_id,
        businessMode: env0.business_mode,
        rounding: { unit: env0.rounding_unit, mode: env0.rounding_mode },
        sellExpired: env0.sell_expired,
        // The business day rule of offline sales: the day they were made if still open, else the open day
        // (then the sale is late: it reached the server after its day closed).
        businessDay: offlineBusinessDay(saleDay, env0.last_closed, today),
        late: isLateSale(saleDay, env0.last_closed),
        saleId,
        lineIds,
        offline: true,
        allowOfflineAuthorization: env0.allow_offline_authorization,
        replaceSaleId: ex ? Number(ex.id) : null,
        prices,
      };
      const sale = await prepareSale(ctx, env, cmd);
      sale.fingerprint = item.fingerprint;
      prepared.push(sale);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      failures.set(cmd.clientId, e);
    }
  }

  const written = await writeBatch(ctx, prepared, failures);
  for (const s of prepared) {
    if (written.has(s.id)) {
      results.set(s.clientId, {
        clientId: s.clientId,
        receiptNo: s.receiptNo,
        result: 'accepted',
        saleId: s.id,
        businessDay: s.businessDay,
        late: s.late ?? false,
      });
    }
  }
  await settleLostRaces(ctx, target, items, failures, results);
  const preparedBy = new Map(prepared.map((s) => [s.clientId, s]));
  const queued = await queueFailures(ctx, target, today, items, failures, preparedBy);
  for (const q of queued) results.set(q.clientId, q);
  await resolveQueued(
    ctx,
    prepared.filter((s) => written.has(s.id)),
  );
  return sales.map((r) => results.get(String(r.clientId)) as UploadResult);
}

/**
 * What is applied for a sale: what the till sent, except that a sale already waiting in the queue is
 * applied as the queue holds it (a supervisor may have corrected it); the till's copy never overwrites that.
 */
function applicableItem(sent: Item, queued: ErrorRow | null, retry: boolean): Item {
  if (retry || !queued || queued.status !== 'open' || queued.client_fingerprint !== sent.fingerprint) return sent;
  return itemOf(JSON.parse(queued.payload) as Record<string, unknown>, queued, true);
}

/** A sale sent again while its queue row says otherwise: another sale under its id, or one given up on. */
function queueRefusal(sent: Item, queued: ErrorRow | null, retry: boolean): DomainError | null {
  if (retry || !queued || queued.status === 'resolved') return null;
  if (queued.status === 'discarded') {
    return new DomainError('POS_UPLOAD_ERROR_STATE', { id: queued.id, status: queued.status, action: 'upload' });
  }
  if (queued.client_fingerprint !== null && queued.client_fingerprint !== sent.fingerprint) {
    return new DomainError('POS_CLIENT_ID_REUSED', { clientId: sent.clientId, receiptNo: queued.receipt_no });
  }
  return null;
}

async function receiptsInBlocks(
  db: Transaction<DB>,
  terminalId: number,
  prefix: string,
  cmds: readonly UploadSaleInput[],
): Promise<Set<string>> {
  if (!cmds.length) return new Set();
  const r = await sql<{ receipt_no: string }>`
    select r.receipt_no from unnest(${cmds.map((c) => c.receiptNo)}::text[]) as r(receipt_no)
     where left(r.receipt_no, length(${prefix})) = ${prefix}
       and exists (select 1 from pos_receipt_block b where b.terminal_id = ${terminalId}
                    and (case when substr(r.receipt_no, length(${prefix}) + 1) ~ '^[0-9]{8}$'
                              then substr(r.receipt_no, length(${prefix}) + 1)::bigint end) between b.first_no and b.last_no)`.execute(
    db,
  );
  return new Set(r.rows.map((x) => x.receipt_no));
}

async function savepoint<T>(ctx: Ctx, name: string, fn: () => Promise<T>): Promise<T> {
  await sql.raw(`savepoint ${name}`).execute(ctx.db);
  try {
    const out = await fn();
    await sql.raw(`release savepoint ${name}`).execute(ctx.db);
    return out;
  } catch (e) {
    await sql.raw(`rollback to savepoint ${name}`).execute(ctx.db);
    throw e;
  }
}

/** The sale's client id was booked by someone else meanwhile (the checkout): its stock must not stay. */
class LostRace extends Error {
  constructor(readonly clientId: string) {
    super(`sale ${clientId} was booked concurrently`);
    this.name = 'LostRace';
  }
}

async function writeOne(ctx: Ctx, sale: PreparedSale): Promise<void> {
  await postSaleStock(ctx, sale);
  // Finishing a temporary/held sale from the outbox replaces its content.
  const replaced = await ctx.db.selectFrom('pos_sale').select('id').where('id', '=', sale.id).executeTakeFirst();
  if (replaced) await clearSaleContent(ctx.db, sale.id);
  const written = await insertSales(ctx, [sale]);
  // Not written: thrown inside the savepoint, so the stock posted above is rolled back with it.
  if (!written.has(sale.id)) throw new LostRace(sale.clientId);
}

async function writeBatch(ctx: Ctx, sales: PreparedSale[], failures: Map<string, unknown>): Promise<Set<number>> {
  if (!sales.length) return new Set();
  try {
    return await savepoint(ctx, 'pos_upload_batch', async () => {
      for (const s of sales) await postSaleStock(ctx, s);
      const replacing = await ctx.db
        .selectFrom('pos_sale')
        .select('id')
        .where(
          'id',
          'in',
          sales.map((s) => s.id),
        )
        .execute();
      for (const r of replacing) await clearSaleContent(ctx.db, Number(r.id));
      const written = await insertSales(ctx, sales);
      if (written.size !== sales.length) throw new Error('not every sale was written');
      return written;
    });
  } catch {
    // Some sale was refused (a conflict, a closed day…): go sale by sale so the others still land.
  }
  // Slow path: sale by sale, each in its own savepoint.
  const written = new Set<number>();
  for (const s of sales) {
    for (const l of s.lines) {
      l.unitCost = s.kind === 'return' ? l.unitCost : null;
      l.costAmount = null;
    }
    s.cogs = null;
    try {
      await savepoint(ctx, 'pos_upload_sale', () => writeOne(ctx, s));
      written.add(s.id);
    } catch (e) {
      failures.set(s.clientId, e);
    }
  }
  return written;
}

/** Sales that lost the race to a concurrent booking of their client id are answered from that booking. */
async function settleLostRaces(
  ctx: Ctx,
  target: Target,
  items: readonly Item[],
  failures: Map<string, unknown>,
  results: Map<string, UploadResult>,
): Promise<void> {
  const lost = items.filter((i) => failures.get(i.clientId) instanceof LostRace);
  if (!lost.length) return;
  const now = await existingSales(
    ctx.db,
    lost.map((i) => i.clientId),
  );
  for (const item of lost) {
    const ex = now.get(item.clientId);
    const answer = ex?.status === 'formal' ? duplicateOf(item, ex, target.storeId) : null;
    if (answer && !(answer instanceof DomainError)) {
      failures.delete(item.clientId);
      results.set(item.clientId, answer);
    } else {
      failures.set(item.clientId, answer ?? new DomainError('POS_SALE_CONFLICT', { clientId: item.clientId }));
    }
  }
}

const drawerView = z.object({
  shiftId: z.uuid().optional(),
  expectedTotal: moneyString.optional(),
  tenders: z.array(z.looseObject({ method: z.string().max(20), amount: moneyString })).max(10),
});

/**
 * What a queued sale did to the drawer (the hand-over counts it, POS-7): its shift and the cash it left,
 * read leniently so a sale failing on another field still counts. From the priced sale when there is one.
 */
function drawerOf(raw: Record<string, unknown>, sale: PreparedSale | undefined): { shiftId: string | null; cash: string | null } {
  if (sale) {
    return { shiftId: sale.shiftId, cash: cashKept(sale.tenders, sale.total) };
  }
  const shift = drawerView.shape.shiftId.safeParse(raw.shiftId);
  const money = drawerView.safeParse({ tenders: raw.tenders ?? [], expectedTotal: raw.expectedTotal });
  return {
    shiftId: shift.success ? (shift.data ?? null) : null,
    cash: money.success ? cashKept(money.data.tenders, money.data.expectedTotal ?? null) : null,
  };
}

/** The day a queued sale belongs to: the day it was made (never a future one); its close waits for it. */
function saleDayOf(raw: Record<string, unknown>, today: string): string {
  const at = typeof raw.soldAt === 'string' ? Date.parse(raw.soldAt) : Number.NaN;
  if (Number.isNaN(at)) return today;
  const day = calendarDay(new Date(at));
  return day > today ? today : day;
}

async function queueFailures(
  ctx: Ctx,
  target: Target,
  today: string,
  items: readonly Item[],
  failures: Map<string, unknown>,
  preparedBy: Map<string, PreparedSale>,
): Promise<UploadResult[]> {
  if (!failures.size) return [];
  const rows = items.filter((i) => failures.has(i.clientId));
  const problems = rows.map((i) => problem(ctx, failures.get(i.clientId)));
  const drawers = rows.map((i) => drawerOf(i.raw, preparedBy.get(i.clientId)));
  const days = rows.map((i) => saleDayOf(i.raw, today));
  const r = await sql<{ id: number; client_id: string }>`
    insert into pos_upload_error (store_id, terminal_id, client_id, receipt_no, payload, error_code, error_params, updated_by,
                                  client_fingerprint, shift_id, cash_net, sale_day)
    select ${target.storeId}, ${target.terminalId}, t.client_id, t.receipt_no, t.payload, t.code, t.params,
           ${ctx.actor.userId > 0 ? ctx.actor.userId : null}::int, t.fingerprint, t.shift_id, t.cash, t.day
      from unnest(${rows.map((i) => i.clientId)}::uuid[], ${rows.map((i) => i.receiptNo)}::text[],
                  ${rows.map((i) => JSON.stringify(i.raw))}::text[], ${problems.map((p) => p.code)}::text[],
                  ${problems.map((p) => JSON.stringify(p.params))}::jsonb[], ${rows.map((i) => i.fingerprint)}::text[],
                  ${drawers.map((d) => d.shiftId)}::uuid[], ${drawers.map((d) => d.cash)}::numeric[], ${days}::date[])
           as t(client_id, receipt_no, payload, code, params, fingerprint, shift_id, cash, day)
    -- Another sale under a queued sale's id (POS_CLIENT_ID_REUSED) does not overwrite the queued one.
    on conflict (client_id) do update set
      payload = case when excluded.error_code = 'POS_CLIENT_ID_REUSED' then pos_upload_error.payload else excluded.payload end,
      error_code = excluded.error_code, error_params = excluded.error_params,
      shift_id = case when excluded.error_code = 'POS_CLIENT_ID_REUSED' then pos_upload_error.shift_id else excluded.shift_id end,
      cash_net = case when excluded.error_code = 'POS_CLIENT_ID_REUSED' then pos_upload_error.cash_net else excluded.cash_net end,
      client_fingerprint = coalesce(pos_upload_error.client_fingerprint, excluded.client_fingerprint),
      attempts = pos_upload_error.attempts + 1, status = 'open', updated_at = now(), updated_by = excluded.updated_by
    where pos_upload_error.status <> 'discarded' and pos_upload_error.status <> 'resolved'
    returning id, client_id`.execute(ctx.db);
  const idBy = new Map(r.rows.map((x) => [x.client_id, x.id]));
  // A discarded or resolved row is not reopened by the till sending its sale again: it answers as it is.
  const missing = rows.filter((i) => !idBy.has(i.clientId) && i.queued).map((i) => [i.clientId, i.queued?.id] as const);
  for (const [clientId, id] of missing) idBy.set(clientId, id as number);
  await recordAudit(ctx, {
    action: 'pos.upload_queued',
    entity: 'pos_upload_error',
    detail: visibleText({
      errors: rows.map((i, k) => ({ clientId: i.clientId, receiptNo: i.receiptNo, code: problems[k]?.code })),
      // A second sale under a queued sale's id is kept here: it has no row of its own.
      reused: rows.filter((_i, k) => problems[k]?.code === 'POS_CLIENT_ID_REUSED').map((i) => i.raw),
    }),
    orgId: target.storeId,
  });
  return rows.map((i, k) => ({
    clientId: i.clientId,
    receiptNo: i.receiptNo,
    result: 'queued' as const,
    errorId: idBy.get(i.clientId) as number,
    error: problems[k] as UploadProblem,
  }));
}

async function resolveQueued(ctx: Ctx, written: PreparedSale[]): Promise<void> {
  if (!written.length) return;
  await sql`
    update pos_upload_error e set status = 'resolved', sale_id = t.sale_id, updated_at = now(),
           updated_by = ${ctx.actor.userId > 0 ? ctx.actor.userId : null}::int
      from unnest(${written.map((s) => s.clientId)}::uuid[], ${written.map((s) => s.id)}::bigint[]) as t(client_id, sale_id)
     where e.client_id = t.client_id and e.status = 'open'`.execute(ctx.db);
}

/** The till's upload (脱机上传): shifts opened offline first, then the sales. */
export async function uploadOfflineSales(ctx: Ctx, auth: TillAuth, input: UploadCommand) {
  const cmd = uploadBody.parse(input);
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.upload', 'create');
  await lockStoreDays(ctx.db, [till.storeId]);
  const shifts = await applyOfflineShifts(ctx, till, cmd.shifts);
  const results = await applyOfflineSales(ctx, { storeId: till.storeId, terminalId: till.terminalId }, cmd.sales);
  const counts = { accepted: 0, duplicate: 0, queued: 0 };
  for (const r of results) counts[r.result]++;
  await recordAudit(ctx, {
    action: 'pos.upload',
    entity: 'pos_terminal',
    entityId: till.terminalId,
    detail: { ...counts, shifts: shifts.length },
    orgId: till.storeId,
  });
  return { ...counts, shiftsCreated: shifts.length, results };
}

// ---- the error queue

export interface UploadErrorDto {
  id: number;
  storeId: number;
  terminalId: number;
  clientId: string;
  receiptNo: string;
  /** The sale as queued; characters text cannot show are made visible (as �, U+FFFD). */
  payload: UploadSaleCommand;
  errorCode: string;
  errorParams: Record<string, unknown>;
  messages: { 'zh-CN': string; en: string };
  status: 'open' | 'resolved' | 'discarded';
  attempts: number;
  saleId: number | null;
  resolution: string | null;
  /** The shift and the cash the sale left in the drawer (counted at hand-over while queued). */
  shiftId: string | null;
  cashNet: string | null;
  /** The business day whose close it holds up, and the day a supervisor moved it to. */
  saleDay: string;
  deferredTo: string | null;
  deferredReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ErrorRow = {
  id: number;
  store_id: number;
  terminal_id: number;
  client_id: string;
  receipt_no: string;
  payload: string;
  error_code: string;
  error_params: unknown;
  status: 'open' | 'resolved' | 'discarded';
  attempts: number;
  sale_id: number | null;
  resolution: string | null;
  client_fingerprint: string | null;
  shift_id: string | null;
  cash_net: string | null;
  sale_day: string;
  deferred_to: string | null;
  deferred_reason: string | null;
  created_at: Date;
  updated_at: Date;
};

function isKnownCode(code: string): boolean {
  try {
    errorMessage(code as never, 'en');
    return true;
  } catch {
    return false;
  }
}

function messagesOf(code: string, params: Record<string, string>): { 'zh-CN': string; en: string } {
  if (isKnownCode(code)) {
    return { 'zh-CN': errorMessage(code as never, 'zh-CN', params), en: errorMessage(code as never, 'en', params) };
  }
  return { 'zh-CN': `无法上传（${code}）`, en: `Cannot apply (${code})` };
}

function toErrorDto(r: ErrorRow): UploadErrorDto {
  const params = (r.error_params ?? {}) as Record<string, string>;
  return {
    id: r.id,
    storeId: r.store_id,
    terminalId: r.terminal_id,
    clientId: r.client_id,
    receiptNo: r.receipt_no,
    payload: visibleText(JSON.parse(r.payload)) as UploadSaleCommand,
    errorCode: r.error_code,
    errorParams: params,
    messages: messagesOf(r.error_code, params),
    status: r.status,
    attempts: r.attempts,
    saleId: r.sale_id === null ? null : Number(r.sale_id),
    resolution: r.resolution,
    shiftId: r.shift_id,
    cashNet: r.cash_net,
    saleDay: r.sale_day,
    deferredTo: r.deferred_to,
    deferredReason: r.deferred_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listUploadErrors(
  ctx: Ctx,
  q: { storeId?: number | undefined; status?: 'open' | 'resolved' | 'discarded' | undefined; page: number; pageSize: number },
) {
  authorize(ctx, 'pos.upload', 'view');
  if (q.storeId !== undefined) ctx.scope.assert(q.storeId, 'org', q.storeId);
  let query = ctx.db
    .selectFrom('pos_upload_error')
    .where('store_id', 'in', q.storeId !== undefined ? [q.storeId] : [...ctx.scope.ids, -1]);
  if (q.status) query = query.where('status', '=', q.status);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items: rows.map((r) => toErrorDto(r as ErrorRow)), total: Number(total), page: q.page, pageSize: q.pageSize };
}

async function visibleError(ctx: Ctx, id: number, forUpdate = false): Promise<ErrorRow> {
  let q = ctx.db.selectFrom('pos_upload_error').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = (await q.executeTakeFirst()) as ErrorRow | undefined;
  if (!row || !ctx.scope.has(row.store_id)) throw new DomainError('NOT_FOUND', { entity: 'upload_error', id });
  return row;
}

export async function getUploadError(ctx: Ctx, id: number): Promise<UploadErrorDto> {
  authorize(ctx, 'pos.upload', 'view');
  return toErrorDto(await visibleError(ctx, id));
}

function assertOpen(row: ErrorRow, action: string): void {
  if (row.status !== 'open') throw new DomainError('POS_UPLOAD_ERROR_STATE', { id: row.id, status: row.status, action });
}

/**
 * A supervisor corrects a queued sale before retrying it: lines (quantity, product, barcode, lot), tenders
 * (amounts, references) and remarks — the text fields included, so a sale refused for what a text field held
 * can be fixed. The result must be a valid sale (bad input changes nothing).
 */
export async function editUploadError(ctx: Ctx, id: number, input: unknown): Promise<UploadErrorDto> {
  const patch = uploadErrorEditBody.parse(input);
  authorize(ctx, 'pos.upload', 'edit');
  const row = await visibleError(ctx, id, true);
  assertOpen(row, 'edit');
  const before = JSON.parse(row.payload) as Record<string, unknown>;
  const after: Record<string, unknown> = {
    ...before,
    ...(patch.lines ? { lines: patch.lines } : {}),
    ...(patch.tenders ? { tenders: patch.tenders } : {}),
    ...(patch.remarks ? { remarks: patch.remarks } : {}),
  };
  // Emptied remarks are no remarks (as the till sends a sale without any).
  if (patch.remarks === '') delete after.remarks;
  if (patch.saleDiscount === null) delete after.saleDiscount;
  else if (patch.saleDiscount) after.saleDiscount = patch.saleDiscount;
  const checked = readSale(after);
  if (checked.invalid) throw checked.invalid;
  const drawer = drawerOf(after, undefined);
  const updated = (await ctx.db
    .updateTable('pos_upload_error')
    .set({
      payload: JSON.stringify(after),
      shift_id: drawer.shiftId,
      cash_net: drawer.cash,
      updated_at: new Date(),
      updated_by: ctx.actor.userId,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as ErrorRow;
  await recordAudit(ctx, {
    action: 'pos.upload_error_edited',
    entity: 'pos_upload_error',
    entityId: id,
    before: visibleText(before),
    after: visibleText(after),
    orgId: row.store_id,
  });
  return toErrorDto(updated);
}

/** Retries a queued sale as it now stands; on success it is resolved, else its error is updated. */
export async function retryUploadError(ctx: Ctx, id: number): Promise<{ error: UploadErrorDto; result: UploadResult }> {
  authorize(ctx, 'pos.upload', 'manage');
  const row = await visibleError(ctx, id, true);
  assertOpen(row, 'retry');
  const [result] = await applyOfflineSales(
    ctx,
    { storeId: row.store_id, terminalId: row.terminal_id },
    [JSON.parse(row.payload) as Record<string, unknown>],
    { retryOf: row },
  );
  await recordAudit(ctx, {
    action: 'pos.upload_error_retried',
    entity: 'pos_upload_error',
    entityId: id,
    detail: { result: result?.result, ...(result?.result === 'accepted' && result.late ? { late: true } : {}) },
    orgId: row.store_id,
  });
  return { error: toErrorDto(await visibleError(ctx, id)), result: result as UploadResult };
}

/** Gives up on a queued sale — explicitly, with a reason, audited (never silently). */
export async function discardUploadError(ctx: Ctx, id: number, reason: string): Promise<UploadErrorDto> {
  authorize(ctx, 'pos.upload', 'manage');
  if (reason.trim().length < 2) throw new DomainError('POS_REASON_REQUIRED');
  const row = await visibleError(ctx, id, true);
  assertOpen(row, 'discard');
  const updated = (await ctx.db
    .updateTable('pos_upload_error')
    .set({ status: 'discarded', resolution: reason, updated_at: new Date(), updated_by: ctx.actor.userId })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as ErrorRow;
  await recordAudit(ctx, {
    action: 'pos.upload_error_discarded',
    entity: 'pos_upload_error',
    entityId: id,
    before: { status: 'open' },
    after: { status: 'discarded', reason },
    detail: { payload: visibleText(JSON.parse(row.payload)) },
    orgId: row.store_id,
  });
  return toErrorDto(updated);
}

// ---- the queue and the store day (POS-8)

/** An open queued sale as the daily close lists it. */
export interface OpenUploadError {
  id: number;
  terminalId: number;
  receiptNo: string;
  errorCode: string;
  messages: { 'zh-CN': string; en: string };
  saleDay: string;
  deferredTo: string | null;
  cashNet: string | null;
  /** It holds up the close of `day` (its day, or the day it was moved to, is not later). */
  blocksClose: boolean;
  createdAt: Date;
}

/** The store's open upload errors (up to `limit`), marked with whether each holds up the close of `day`. */
export async function openUploadErrors(
  db: Transaction<DB>,
  storeId: number,
  day: string,
  limit = 200,
): Promise<OpenUploadError[]> {
  const rows = (await db
    .selectFrom('pos_upload_error')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('status', '=', 'open')
    .orderBy('id')
    .limit(limit)
    .execute()) as ErrorRow[];
  return rows.map((r) => ({
    id: r.id,
    terminalId: r.terminal_id,
    receiptNo: r.receipt_no,
    errorCode: r.error_code,
    messages: messagesOf(r.error_code, (r.error_params ?? {}) as Record<string, string>),
    saleDay: r.sale_day,
    deferredTo: r.deferred_to,
    cashNet: r.cash_net,
    blocksClose: (r.deferred_to ?? r.sale_day) <= day,
    createdAt: r.created_at,
  }));
}

/** How many open upload errors hold up the close of `day`: their own day, or the day they were moved to, is not later. */
export async function uploadErrorsBlocking(db: Transaction<DB>, storeId: number, day: string): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from pos_upload_error
     where store_id = ${storeId} and status = 'open' and coalesce(deferred_to, sale_day) <= ${day}::date`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/**
 * A supervisor moves the open upload errors holding up the close of `day` (the store's earliest unclosed
 * day) to the next business day, with a reason (audited). They stop blocking that close; retried after it,
 * such a sale lands on the open day, marked late. They block the next day's close in turn.
 */
export async function deferUploadErrors(
  ctx: Ctx,
  cmd: { storeId: number; day: string; errorIds?: readonly number[] | undefined; reason: string },
) {
  authorize(ctx, 'pos.upload', 'manage');
  const org = await getVisibleOrg(ctx, cmd.storeId);
  if (org.kind !== 'store') throw new DomainError('ORG_NOT_A_STORE', { org: org.code });
  if (cmd.reason.trim().length < 2) throw new DomainError('POS_REASON_REQUIRED');
  // The close holds this lock exclusively: no error moves while a close decides.
  await lockStoreDays(ctx.db, [cmd.storeId], true);
  const last = await sql<{
    d: string | null;
  }>`select max(day)::text as d from business_day where org_id = ${cmd.storeId}`.execute(ctx.db);
  const firstSale = await sql<{ d: string | null }>`
    select min(business_day)::text as d from pos_sale where store_id = ${cmd.storeId}`.execute(ctx.db);
  const earliest = earliestUnclosedDay(last.rows[0]?.d ?? null, firstSale.rows[0]?.d ?? null, calendarDay());
  if (cmd.day !== earliest) throw new DomainError('POS_CLOSE_NOT_EARLIEST', { earliest });
  const to = addDays(cmd.day, 1);
  const moved = await sql<{ id: number; receipt_no: string }>`
    update pos_upload_error set deferred_to = ${to}::date, deferred_reason = ${cmd.reason},
           updated_at = now(), updated_by = ${ctx.actor.userId > 0 ? ctx.actor.userId : null}::int
     where store_id = ${cmd.storeId} and status = 'open' and coalesce(deferred_to, sale_day) <= ${cmd.day}::date
       ${cmd.errorIds ? sql`and id = any(${[...cmd.errorIds]}::int[])` : sql``}
    returning id, receipt_no`.execute(ctx.db);
  if (moved.rows.length) {
    await recordAudit(ctx, {
      action: 'pos.upload_errors_deferred',
      entity: 'pos_upload_error',
      entityId: null,
      after: { from: cmd.day, to, errorIds: moved.rows.map((m) => m.id) },
      detail: { reason: cmd.reason, receiptNos: moved.rows.map((m) => m.receipt_no) },
      orgId: cmd.storeId,
    });
  }
  return {
    storeId: cmd.storeId,
    day: cmd.day,
    toDay: to,
    moved: moved.rows.map((m) => ({ id: m.id, receiptNo: m.receipt_no })),
  };
}
