import { createHash } from 'node:crypto';
import { DomainError, dec, money, type ReturnCommand, returnBody, sum } from '@erp/contracts';
import { sql } from '@erp/db';
import { lastClosedDay } from '../org/business-day.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { checkAuthorization } from './authorization.service.js';
import { refundPayment } from './payment.service.js';
import { lineRefund, parseReceiptNumber, refundToTenders, uuidFromHashHex } from './pos.rules.js';
import type { PreparedLine, PreparedSale, PreparedTender, SaleDto } from './sale.models.js';
import { preparedToDto } from './sale.models.js';
import { allocateSaleIds, insertSales, loadSale, lockStoreDays } from './sale.repository.js';
import { openDay, postSaleStock } from './sale.service.js';
import { resolveTill, type Till, type TillAuth } from './terminal.service.js';

// POS-6: returns (零售退货) from the original receipt — partial, never more than sold minus already returned,
// refunded to the original tenders, stock back in at the original cost — or manual, with a supervisor's
// authorisation (AUTH-4).

interface OriginalLine {
  id: number;
  line_no: number;
  product_id: number;
  qty: string;
  amount: string;
  base_price: string;
  unit_cost: string | null;
  returned_qty: string;
  returned_amount: string;
}

interface OriginalTender {
  seq: number;
  method: string;
  amount: string;
  payment_intent_id: string | null;
  refunded: string;
}

async function receiptInRange(ctx: Ctx, till: Till, receiptNo: string): Promise<void> {
  const n = parseReceiptNumber(till.receiptPrefix, receiptNo);
  const ok =
    n !== null &&
    (await ctx.db
      .selectFrom('pos_receipt_block')
      .select('first_no')
      .where('terminal_id', '=', till.terminalId)
      .where('first_no', '<=', n)
      .where('last_no', '>=', n)
      .executeTakeFirst());
  if (!ok) throw new DomainError('POS_RECEIPT_OUT_OF_RANGE', { receiptNo, terminal: till.terminalCode });
}

async function requireOpenShift(ctx: Ctx, till: Till, shiftId: string | undefined): Promise<void> {
  const sh = shiftId
    ? await ctx.db
        .selectFrom('pos_shift')
        .select(['status', 'terminal_id', 'cashier_id'])
        .where('id', '=', shiftId)
        .executeTakeFirst()
    : undefined;
  if (sh?.status !== 'open' || sh.terminal_id !== till.terminalId || sh.cashier_id !== till.cashierId) {
    throw new DomainError('POS_SHIFT_REQUIRED');
  }
}

/** Records a return at the caller's till; the return's client id is its idempotency key (and its refunds'). */
export async function recordReturn(ctx: Ctx, auth: TillAuth, input: ReturnCommand): Promise<SaleDto & { replayed: boolean }> {
  const cmd = returnBody.parse(input);
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.return', 'create');
  await lockStoreDays(ctx.db, [till.storeId]);
  const existing = await loadSale(ctx.db, { clientIds: [cmd.clientId] });
  if (existing) {
    if (existing.storeId !== till.storeId || existing.kind !== 'return')
      throw new DomainError('POS_SALE_CONFLICT', { clientId: cmd.clientId });
    return { ...existing, replayed: true };
  }
  await receiptInRange(ctx, till, cmd.receiptNo);
  await requireOpenShift(ctx, till, cmd.shiftId);
  const store = await sql<{ business_mode: 'supermarket' | 'wholesale'; warehouse_id: number | null }>`
    select coalesce(op.business_mode, 'supermarket') as business_mode,
           (select w.id from warehouse w where w.org_id = o.id and w.is_default and w.active) as warehouse_id
      from org o left join org_params op on op.org_id = o.id where o.id = ${till.storeId}`.execute(ctx.db);
  const mode = store.rows[0]?.business_mode ?? 'supermarket';
  const warehouseId = store.rows[0]?.warehouse_id;
  if (!warehouseId) throw new DomainError('ORG_HOLDS_NO_GOODS', { org: String(till.storeId) });
  const businessDay = openDay(await lastClosedDay(ctx.db, till.storeId));
  const ids = await allocateSaleIds(ctx.db, 1, cmd.lines.length);
  const base = {
    id: ids.saleIds[0] as number,
    clientId: cmd.clientId,
    storeId: till.storeId,
    terminalId: till.terminalId,
    cashierId: till.cashierId,
    shiftId: cmd.shiftId ?? null,
    receiptNo: cmd.receiptNo,
    businessDay,
    warehouseId,
    fulfilment: mode === 'wholesale' ? ('awaiting_review' as const) : ('posted' as const),
  };
  const sale = cmd.originalReceiptNo
    ? await receiptReturn(ctx, till, cmd, base, ids.lineIds)
    : await manualReturn(ctx, till, cmd, base, ids.lineIds);
  await postSaleStock(ctx, sale);
  const written = await insertSales(ctx, [sale]);
  if (!written.has(sale.id)) throw new DomainError('POS_SALE_CONFLICT', { clientId: cmd.clientId });
  return { ...preparedToDto(sale), replayed: false };
}

type ReturnBase = Pick<
  PreparedSale,
  | 'id'
  | 'clientId'
  | 'storeId'
  | 'terminalId'
  | 'cashierId'
  | 'shiftId'
  | 'receiptNo'
  | 'businessDay'
  | 'warehouseId'
  | 'fulfilment'
>;

function returnSale(
  base: ReturnBase,
  lines: PreparedLine[],
  tenders: PreparedTender[],
  extra: Partial<PreparedSale>,
): PreparedSale {
  const total = money(sum(lines.map((l) => l.amount)));
  return {
    ...base,
    kind: 'return',
    status: 'formal',
    // Goods come back in; expiry plays no part.
    sellExpired: false,
    soldAt: new Date(),
    completedAt: new Date(),
    memberId: null,
    priceType: 'retail',
    originalSaleId: null,
    gross: total,
    strategyDiscount: '0.00',
    lineDiscount: '0.00',
    saleDiscount: '0.00',
    rounding: '0.00',
    total,
    paid: total,
    change: '0.00',
    cogs: null,
    offline: false,
    priceVariance: false,
    authorizationId: null,
    saleDiscountKind: null,
    saleDiscountValue: null,
    remarks: null,
    lines,
    tenders,
    intentIds: [],
    consumeAuthorizationId: null,
    auditDetail: {},
    ...extra,
  };
}

async function receiptReturn(
  ctx: Ctx,
  till: Till,
  cmd: ReturnType<typeof returnBody.parse>,
  base: ReturnBase,
  lineIds: number[],
) {
  const receiptNo = cmd.originalReceiptNo as string;
  const original = await ctx.db
    .selectFrom('pos_sale')
    .select(['id', 'status', 'kind', 'fulfilment', 'receipt_no', 'member_id'])
    .where('store_id', '=', till.storeId)
    .where('receipt_no', '=', receiptNo)
    .forUpdate()
    .executeTakeFirst();
  if (original?.kind !== 'sale' || original.status !== 'formal')
    throw new DomainError('NOT_FOUND', { entity: 'receipt', id: receiptNo });
  if (original.fulfilment === 'awaiting_review') {
    throw new DomainError('POS_SALE_STATE', { receiptNo, status: 'awaiting outbound review', action: 'return' });
  }
  const originalId = Number(original.id);
  // What each line sold and what earlier returns of this receipt took back (the header lock serialises returns).
  const lines = (
    await sql<OriginalLine>`
    select l.id, l.line_no, l.product_id, l.qty, l.amount, l.base_price, l.unit_cost,
           coalesce((select -sum(r.qty) from pos_sale_line r join pos_sale rs on rs.id = r.sale_id
                      where r.original_line_id = l.id and rs.status = 'formal'), 0) as returned_qty,
           coalesce((select -sum(r.amount) from pos_sale_line r join pos_sale rs on rs.id = r.sale_id
                      where r.original_line_id = l.id and rs.status = 'formal'), 0) as returned_amount
      from pos_sale_line l where l.sale_id = ${originalId} order by l.line_no`.execute(ctx.db)
  ).rows;
  const byId = new Map(lines.map((l) => [Number(l.id), l]));
  const requested = new Map<number, ReturnType<typeof dec>>();
  for (const l of cmd.lines) {
    const id = l.originalLineId as number;
    if (!byId.has(id)) throw new DomainError('POS_RETURN_LINE_INVALID', { line: id, receiptNo });
    requested.set(id, (requested.get(id) ?? dec(0)).plus(l.qty));
  }
  const prepared: PreparedLine[] = [];
  let i = 0;
  for (const [id, q] of requested) {
    const o = byId.get(id) as OriginalLine;
    if (dec(o.returned_qty).plus(q).greaterThan(o.qty)) {
      throw new DomainError('POS_RETURN_EXCEEDS', {
        product: o.product_id,
        sold: dec(o.qty).toFixed(3),
        returned: dec(o.returned_qty).toFixed(3),
        requested: q.toFixed(3),
      });
    }
    const refund = lineRefund({
      soldQty: o.qty,
      soldAmount: o.amount,
      returnedQty: o.returned_qty,
      returnedAmount: o.returned_amount,
      qty: q.toFixed(3),
    });
    prepared.push({
      id: lineIds[i] as number,
      lineNo: i + 1,
      productId: o.product_id,
      qty: q.negated().toFixed(3),
      basePrice: o.base_price,
      listPrice: null,
      gross: money(dec(refund).negated()),
      strategyDiscount: '0.00',
      lineDiscount: '0.00',
      saleDiscount: '0.00',
      rounding: '0.00',
      amount: money(dec(refund).negated()),
      discountKind: null,
      discountValue: null,
      // Stock comes back in at the cost it went out at.
      unitCost: o.unit_cost,
      costAmount: null,
      originalLineId: Number(o.id),
      barcode: null,
    });
    i++;
  }
  const refundTotal = money(sum(prepared.map((l) => dec(l.amount).negated())));
  const tenders = (
    await sql<OriginalTender>`
    select t.seq, t.method, t.amount, t.payment_intent_id,
           coalesce((select -sum(rt.amount) from pos_sale_tender rt join pos_sale rs on rs.id = rt.sale_id
                      where rs.original_sale_id = ${originalId} and rs.status = 'formal' and rt.original_seq = t.seq), 0) as refunded
      from pos_sale_tender t where t.sale_id = ${originalId} order by t.seq`.execute(ctx.db)
  ).rows;
  const refundable = tenders.map((t) => ({ seq: t.seq, refundable: money(dec(t.amount).minus(t.refunded)) }));
  const parts = refundToTenders(
    refundTotal,
    // A tender already refunded in full takes no part (decimal.js counts 0 as positive).
    refundable.filter((t) => dec(t.refundable).greaterThan(0)),
  );
  const preparedTenders: PreparedTender[] = [];
  for (const [k, p] of parts.entries()) {
    const t = tenders.find((x) => x.seq === p.seq) as OriginalTender;
    let reference: string | null = null;
    let intentId: string | null = null;
    if (t.method === 'mobile' && t.payment_intent_id) {
      intentId = uuidFromHashHex(createHash('sha256').update(`${cmd.clientId}:${t.seq}`).digest('hex'));
      reference = await refundPayment(ctx, {
        intentId: t.payment_intent_id,
        refundId: intentId,
        amount: p.amount,
        till,
        clientSaleId: cmd.clientId,
      });
    }
    preparedTenders.push({
      seq: k + 1,
      method: t.method,
      amount: money(dec(p.amount).negated()),
      tendered: money(dec(p.amount).negated()),
      change: '0.00',
      reference,
      paymentIntentId: intentId,
      originalSeq: t.seq,
    });
  }
  return returnSale(base, prepared, preparedTenders, {
    originalSaleId: originalId,
    memberId: original.member_id,
    remarks: cmd.reason ?? null,
    auditDetail: { receiptNo: cmd.receiptNo, originalReceiptNo: receiptNo, refund: refundTotal, lines: prepared.length },
  });
}

async function manualReturn(ctx: Ctx, till: Till, cmd: ReturnType<typeof returnBody.parse>, base: ReturnBase, lineIds: number[]) {
  if (!cmd.authorizationId) throw new DomainError('POS_AUTHORIZATION_REQUIRED', { purpose: 'manual_return' });
  const a = await checkAuthorization(ctx, {
    id: cmd.authorizationId,
    storeId: till.storeId,
    purpose: 'manual_return',
    clientSaleId: cmd.clientId,
    offline: false,
  });
  const productIds = [...new Set(cmd.lines.map((l) => l.productId as number))];
  const found = await ctx.db.selectFrom('product').select('id').where('id', 'in', productIds).execute();
  const missing = productIds.find((p) => !found.some((f) => f.id === p));
  if (missing !== undefined) throw new DomainError('NOT_FOUND', { entity: 'product', id: missing });
  const lines: PreparedLine[] = cmd.lines.map((l, i) => {
    const amount = money(l.amount as string);
    return {
      id: lineIds[i] as number,
      lineNo: i + 1,
      productId: l.productId as number,
      qty: dec(l.qty).negated().toFixed(3),
      basePrice: dec(amount).dividedBy(l.qty).toDecimalPlaces(4).toFixed(4),
      listPrice: null,
      gross: money(dec(amount).negated()),
      strategyDiscount: '0.00',
      lineDiscount: '0.00',
      saleDiscount: '0.00',
      rounding: '0.00',
      amount: money(dec(amount).negated()),
      discountKind: null,
      discountValue: null,
      unitCost: null, // no original sale: stock comes back at the current moving average
      costAmount: null,
      originalLineId: null,
      barcode: null,
    };
  });
  const total = money(sum(lines.map((l) => l.amount)));
  const tenders: PreparedTender[] = [
    {
      seq: 1,
      method: cmd.refundMethod ?? 'cash',
      amount: total,
      tendered: total,
      change: '0.00',
      reference: null,
      paymentIntentId: null,
      originalSeq: null,
    },
  ];
  return returnSale(base, lines, tenders, {
    authorizationId: a.id,
    consumeAuthorizationId: a.id,
    remarks: cmd.reason ?? null,
    auditDetail: {
      receiptNo: cmd.receiptNo,
      manual: true,
      refund: money(dec(total).negated()),
      authorization: { id: a.id, supervisorId: a.supervisor_id },
    },
  });
}
