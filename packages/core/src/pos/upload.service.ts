import {
  DomainError,
  errorMessage,
  isDomainError,
  type UploadCommand,
  type UploadSaleCommand,
  uploadBody,
  uploadErrorEditBody,
  uploadSale,
} from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { calendarDay } from '../platform/clock.js';
import { authorize, type Ctx } from '../platform/context.js';
import { usersWithGrantAtStore } from './pos.access.js';
import { offlineBusinessDay } from './pos.rules.js';
import { basePrices } from './pricing.pipeline.js';
import type { PreparedSale } from './sale.models.js';
import { allocateSaleIds, clearSaleContent, insertSales, lockStoreDays } from './sale.repository.js';
import { postSaleStock, prepareSale, type SaleEnv, type SaleInput } from './sale.service.js';
import { applyOfflineShifts } from './shift.service.js';
import { resolveTill, type TillAuth } from './terminal.service.js';

// POS-9: offline upload (脱机上传). The till uploads what it sold while the server was unreachable; each sale
// is applied once (its client id), lands on a business day by an explicit rule, and anything that cannot be
// applied goes to an error queue a supervisor edits and retries. Nothing is dropped silently.

export type UploadResult =
  | { clientId: string; receiptNo: string; result: 'accepted'; saleId: number; businessDay: string }
  | { clientId: string; receiptNo: string; result: 'duplicate'; saleId: number; businessDay: string }
  | {
      clientId: string;
      receiptNo: string;
      result: 'queued';
      errorId: number;
      error: { code: string; params: Record<string, unknown>; messages: { 'zh-CN': string; en: string } };
    };

interface StoreEnvRow {
  store_code: string;
  terminal_code: string;
  receipt_prefix: string;
  rounding_unit: '0' | '0.1' | '1';
  rounding_mode: 'down' | 'half_up';
  business_mode: 'supermarket' | 'wholesale';
  warehouse_id: number | null;
  last_closed: string | null;
  allow_offline_authorization: boolean;
}

async function storeEnv(db: Transaction<DB>, storeId: number, terminalId: number): Promise<StoreEnvRow> {
  const r = await sql<StoreEnvRow>`
    select o.code as store_code, t.code as terminal_code, t.receipt_prefix,
           coalesce(ps.rounding_unit, '0') as rounding_unit, coalesce(ps.rounding_mode, 'down') as rounding_mode,
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

function problem(e: unknown): { code: string; params: Record<string, unknown>; messages: { 'zh-CN': string; en: string } } {
  if (isDomainError(e)) {
    return {
      code: e.code,
      params: e.params,
      messages: { 'zh-CN': errorMessage(e.code, 'zh-CN', e.params), en: errorMessage(e.code, 'en', e.params) },
    };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return {
    code: 'INTERNAL',
    params: { detail: msg.slice(0, 300) },
    messages: { 'zh-CN': `无法上传：${msg}`, en: `Cannot apply: ${msg}` },
  };
}

interface Target {
  storeId: number;
  terminalId: number;
}

/**
 * Applies offline sales for a till (the upload, and a supervisor's retry of a queued one). Returns a result
 * per sale. Fast path: every sale's stock and then ONE write for all, inside a savepoint; if anything fails,
 * back to the savepoint and sale by sale, each in its own savepoint, failures going to the error queue.
 */
export async function applyOfflineSales(ctx: Ctx, target: Target, sales: readonly UploadSaleCommand[]): Promise<UploadResult[]> {
  const all = sales.map((s) => uploadSale.parse(s) as SaleInput & { terminalId: number; cashierId: number; soldAt: string });
  // The same sale twice in one outbox is one sale.
  const cmds = [...new Map(all.map((c) => [c.clientId, c])).values()];
  await lockStoreDays(ctx.db, [target.storeId]);
  const env0 = await storeEnv(ctx.db, target.storeId, target.terminalId);
  const today = calendarDay();
  const clientIds = cmds.map((c) => c.clientId);
  const existing = await ctx.db
    .selectFrom('pos_sale')
    .select(['id', 'client_id', 'status', 'store_id', 'kind', 'business_day'])
    .where('client_id', 'in', clientIds.length ? clientIds : ['00000000-0000-0000-0000-000000000000'])
    .execute();
  const existingBy = new Map(existing.map((e) => [e.client_id, e]));
  const cashiers = await usersWithGrantAtStore(ctx.db, target.storeId, 'pos.sale', 'create', [
    ...new Set(cmds.map((c) => c.cashierId)),
  ]);
  const shiftIds = [...new Set(cmds.map((c) => c.shiftId).filter((s): s is string => !!s))];
  const shifts = shiftIds.length
    ? await ctx.db.selectFrom('pos_shift').select(['id', 'terminal_id']).where('id', 'in', shiftIds).execute()
    : [];
  const shiftOk = new Set(shifts.filter((s) => s.terminal_id === target.terminalId).map((s) => s.id));
  const receiptRows = await sql<{ receipt_no: string }>`
    select r.receipt_no from unnest(${cmds.map((c) => c.receiptNo)}::text[]) as r(receipt_no)
     where left(r.receipt_no, length(${env0.receipt_prefix})) = ${env0.receipt_prefix}
       and exists (select 1 from pos_receipt_block b where b.terminal_id = ${target.terminalId}
                    and (case when substr(r.receipt_no, length(${env0.receipt_prefix}) + 1) ~ '^[0-9]{8}$'
                              then substr(r.receipt_no, length(${env0.receipt_prefix}) + 1)::bigint end) between b.first_no and b.last_no)`.execute(
    ctx.db,
  );
  const receiptOk = new Set(receiptRows.rows.map((r) => r.receipt_no));
  const prices = await basePrices(ctx.db, {
    storeId: target.storeId,
    productIds: [...new Set(cmds.flatMap((c) => c.lines.map((l) => l.productId)))],
    priceTypes: ['retail', 'member'],
    at: new Date(),
  });
  const fresh = cmds.filter((c) => existingBy.get(c.clientId)?.status !== 'formal');
  const ids = await allocateSaleIds(
    ctx.db,
    fresh.length,
    fresh.reduce((n, c) => n + c.lines.length, 0),
  );

  const results = new Map<string, UploadResult>();
  const failures = new Map<string, unknown>();
  const prepared: PreparedSale[] = [];
  let saleIx = 0;
  let lineIx = 0;
  for (const cmd of cmds) {
    const ex = existingBy.get(cmd.clientId);
    if (ex?.status === 'formal') {
      if (ex.store_id !== target.storeId || ex.kind !== 'sale') {
        failures.set(cmd.clientId, new DomainError('POS_SALE_CONFLICT', { clientId: cmd.clientId }));
        continue;
      }
      results.set(cmd.clientId, {
        clientId: cmd.clientId,
        receiptNo: cmd.receiptNo,
        result: 'duplicate',
        saleId: Number(ex.id),
        businessDay: ex.business_day,
      });
      continue;
    }
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
      const env: SaleEnv = {
        storeId: target.storeId,
        terminalId: target.terminalId,
        terminalCode: env0.terminal_code,
        cashierId: cmd.cashierId,
        warehouseId: env0.warehouse_id,
        businessMode: env0.business_mode,
        rounding: { unit: env0.rounding_unit, mode: env0.rounding_mode },
        // The business day rule of offline sales: the day they were made if still open, else the open day.
        businessDay: offlineBusinessDay(calendarDay(new Date(cmd.soldAt)), env0.last_closed, today),
        saleId,
        lineIds,
        offline: true,
        allowOfflineAuthorization: env0.allow_offline_authorization,
        replaceSaleId: ex ? Number(ex.id) : null,
        prices,
      };
      prepared.push(await prepareSale(ctx, env, cmd));
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
      });
    }
  }
  const queued = await queueFailures(ctx, target, cmds, failures);
  for (const q of queued) results.set(q.clientId, q);
  await resolveQueued(
    ctx,
    prepared.filter((s) => written.has(s.id)),
  );
  return all.map((c) => results.get(c.clientId) as UploadResult);
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

async function writeOne(ctx: Ctx, sale: PreparedSale): Promise<Set<number>> {
  await postSaleStock(ctx, sale);
  // Finishing a temporary/held sale from the outbox replaces its content.
  const replaced = await ctx.db.selectFrom('pos_sale').select('id').where('id', '=', sale.id).executeTakeFirst();
  if (replaced) await clearSaleContent(ctx.db, sale.id);
  return insertSales(ctx, [sale]);
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
    // Some sale was refused (insufficient stock, a conflict…): go sale by sale so the others still land.
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
      const w = await savepoint(ctx, 'pos_upload_sale', () => writeOne(ctx, s));
      if (w.has(s.id)) written.add(s.id);
      else failures.set(s.clientId, new DomainError('POS_SALE_CONFLICT', { clientId: s.clientId }));
    } catch (e) {
      failures.set(s.clientId, e);
    }
  }
  return written;
}

async function queueFailures(
  ctx: Ctx,
  target: Target,
  cmds: SaleInput[],
  failures: Map<string, unknown>,
): Promise<UploadResult[]> {
  if (!failures.size) return [];
  const rows = cmds.filter((c) => failures.has(c.clientId));
  const problems = rows.map((c) => problem(failures.get(c.clientId)));
  const r = await sql<{ id: number; client_id: string }>`
    insert into pos_upload_error (store_id, terminal_id, client_id, receipt_no, payload, error_code, error_params, updated_by)
    select ${target.storeId}, ${target.terminalId}, t.client_id, t.receipt_no, t.payload, t.code, t.params, ${ctx.actor.userId > 0 ? ctx.actor.userId : null}::int
      from unnest(${rows.map((c) => c.clientId)}::uuid[], ${rows.map((c) => c.receiptNo)}::text[],
                  ${rows.map((c) => JSON.stringify(c))}::jsonb[], ${problems.map((p) => p.code)}::text[],
                  ${problems.map((p) => JSON.stringify(p.params))}::jsonb[]) as t(client_id, receipt_no, payload, code, params)
    on conflict (client_id) do update set
      payload = excluded.payload, error_code = excluded.error_code, error_params = excluded.error_params,
      attempts = pos_upload_error.attempts + 1, status = 'open', updated_at = now(), updated_by = excluded.updated_by
    returning id, client_id`.execute(ctx.db);
  const idBy = new Map(r.rows.map((x) => [x.client_id, x.id]));
  await recordAudit(ctx, {
    action: 'pos.upload_queued',
    entity: 'pos_upload_error',
    detail: { errors: rows.map((c, i) => ({ clientId: c.clientId, receiptNo: c.receiptNo, code: problems[i]?.code })) },
    orgId: target.storeId,
  });
  return rows.map((c, i) => ({
    clientId: c.clientId,
    receiptNo: c.receiptNo,
    result: 'queued' as const,
    errorId: idBy.get(c.clientId) as number,
    error: problems[i] as ReturnType<typeof problem>,
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
  payload: UploadSaleCommand;
  errorCode: string;
  errorParams: Record<string, unknown>;
  messages: { 'zh-CN': string; en: string };
  status: 'open' | 'resolved' | 'discarded';
  attempts: number;
  saleId: number | null;
  resolution: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type ErrorRow = {
  id: number;
  store_id: number;
  terminal_id: number;
  client_id: string;
  receipt_no: string;
  payload: unknown;
  error_code: string;
  error_params: unknown;
  status: 'open' | 'resolved' | 'discarded';
  attempts: number;
  sale_id: number | null;
  resolution: string | null;
  created_at: Date;
  updated_at: Date;
};

function toErrorDto(r: ErrorRow): UploadErrorDto {
  const params = (r.error_params ?? {}) as Record<string, string>;
  const known = r.error_code !== 'INTERNAL' && isKnownCode(r.error_code);
  return {
    id: r.id,
    storeId: r.store_id,
    terminalId: r.terminal_id,
    clientId: r.client_id,
    receiptNo: r.receipt_no,
    payload: r.payload as UploadSaleCommand,
    errorCode: r.error_code,
    errorParams: params,
    messages: known
      ? {
          'zh-CN': errorMessage(r.error_code as never, 'zh-CN', params),
          en: errorMessage(r.error_code as never, 'en', params),
        }
      : { 'zh-CN': `无法上传：${params.detail ?? r.error_code}`, en: `Cannot apply: ${params.detail ?? r.error_code}` },
    status: r.status,
    attempts: r.attempts,
    saleId: r.sale_id === null ? null : Number(r.sale_id),
    resolution: r.resolution,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function isKnownCode(code: string): boolean {
  try {
    errorMessage(code as never, 'en');
    return true;
  } catch {
    return false;
  }
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

/** A supervisor corrects a queued sale (e.g. quantity or product) before retrying it. */
export async function editUploadError(ctx: Ctx, id: number, input: unknown): Promise<UploadErrorDto> {
  const patch = uploadErrorEditBody.parse(input);
  authorize(ctx, 'pos.upload', 'edit');
  const row = await visibleError(ctx, id, true);
  assertOpen(row, 'edit');
  const before = row.payload as UploadSaleCommand;
  const after: UploadSaleCommand = {
    ...before,
    ...(patch.lines ? { lines: patch.lines } : {}),
    ...(patch.tenders ? { tenders: patch.tenders } : {}),
    ...(patch.remarks !== undefined ? { remarks: patch.remarks } : {}),
  };
  if (patch.saleDiscount === null) delete after.saleDiscount;
  else if (patch.saleDiscount) after.saleDiscount = patch.saleDiscount;
  uploadSale.parse(after);
  const updated = (await ctx.db
    .updateTable('pos_upload_error')
    .set({ payload: JSON.stringify(after), updated_at: new Date(), updated_by: ctx.actor.userId })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as ErrorRow;
  await recordAudit(ctx, {
    action: 'pos.upload_error_edited',
    entity: 'pos_upload_error',
    entityId: id,
    before,
    after,
    orgId: row.store_id,
  });
  return toErrorDto(updated);
}

/** Retries a queued sale as it now stands; on success it is resolved, else its error is updated. */
export async function retryUploadError(ctx: Ctx, id: number): Promise<{ error: UploadErrorDto; result: UploadResult }> {
  authorize(ctx, 'pos.upload', 'manage');
  const row = await visibleError(ctx, id, true);
  assertOpen(row, 'retry');
  const [result] = await applyOfflineSales(ctx, { storeId: row.store_id, terminalId: row.terminal_id }, [
    row.payload as UploadSaleCommand,
  ]);
  await recordAudit(ctx, {
    action: 'pos.upload_error_retried',
    entity: 'pos_upload_error',
    entityId: id,
    detail: { result: result?.result },
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
    detail: { payload: row.payload },
    orgId: row.store_id,
  });
  return toErrorDto(updated);
}
