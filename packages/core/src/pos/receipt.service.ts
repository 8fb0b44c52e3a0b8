import { DomainError, dec, money, type ReceiptTemplate, tenderMethodLabels, terminalSettings } from '@erp/contracts';
import { sql } from '@erp/db';
import { productSelect, toProductDto } from '../catalog/index.js';
import { localTime } from '../platform/clock.js';
import { authorize, type Ctx } from '../platform/context.js';
import { resolvePrices } from '../pricing/index.js';
import { loadSale } from './sale.repository.js';
import { loadStoreSettings } from './settings.service.js';

// POS-10 server side: receipt data for printing and reprinting (58/80 mm templates per store), price tags.

/** Characters per line of a thermal printer in its default font. */
export const RECEIPT_COLUMNS = { 58: 32, 80: 48 } as const;

/** Display width: CJK and full-width characters take two columns on a receipt printer. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(ch) ? 2 : 1;
  return w;
}

function fit(s: string, width: number): string {
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > width) break;
    out += ch;
    w += cw;
  }
  return out;
}

/** Left text and right text on one line of `width` columns. */
export function twoColumns(left: string, right: string, width: number): string {
  const r = fit(right, width);
  const l = fit(left, Math.max(0, width - displayWidth(r) - 1));
  return l + ' '.repeat(Math.max(1, width - displayWidth(l) - displayWidth(r))) + r;
}

export function center(s: string, width: number): string {
  const t = fit(s, width);
  const pad = Math.max(0, Math.floor((width - displayWidth(t)) / 2));
  return ' '.repeat(pad) + t;
}

export interface ReceiptData {
  saleId: number;
  receiptNo: string;
  kind: 'sale' | 'return';
  width: 58 | 80;
  store: { id: number; code: string; name: string; address: string | null; phone: string | null };
  terminalCode: string;
  cashierName: string;
  soldAt: Date;
  businessDay: string;
  header: string[];
  footer: string[];
  lines: { lineNo: number; code: string; name: string; qty: string; unitPrice: string; amount: string; discount: string }[];
  totals: { gross: string; discount: string; rounding: string; total: string; paid: string; change: string; savings: string };
  tenders: { method: string; label: { zh: string; en: string }; amount: string }[];
  originalReceiptNo: string | null;
  qr: string | null;
  barcode: string | null;
  /** The receipt as printer lines, for text-mode printing and previews. */
  text: string[];
}

function fill(line: string, store: ReceiptData['store']): string {
  return line
    .replaceAll('{storeName}', store.name)
    .replaceAll('{storeCode}', store.code)
    .replaceAll('{storeAddress}', store.address ?? '')
    .replaceAll('{storePhone}', store.phone ?? '');
}

function qrContent(t: ReceiptTemplate, receiptNo: string, storeCode: string): string | null {
  if (t.qr === 'none') return null;
  if (t.qr === 'receipt_no') return receiptNo;
  return t.qr.replaceAll('{receiptNo}', encodeURIComponent(receiptNo)).replaceAll('{storeCode}', encodeURIComponent(storeCode));
}

/** Everything a till or the back office needs to print (or reprint) a sale's receipt with the store's template. */
export async function receiptData(ctx: Ctx, saleId: number, width?: 58 | 80): Promise<ReceiptData> {
  authorize(ctx, 'pos.sale', 'view');
  const sale = await loadSale(ctx.db, { ids: [saleId] });
  if (!sale || !ctx.scope.has(sale.storeId)) throw new DomainError('NOT_FOUND', { entity: 'sale', id: saleId });
  const meta = (
    await sql<{
      id: number;
      code: string;
      name: string;
      address: string | null;
      phone: string | null;
      terminal_code: string;
      settings: unknown;
      cashier_name: string;
    }>`
      select o.id, o.code, o.name, o.address, o.phone, t.code as terminal_code, t.settings, u.name as cashier_name
        from org o, pos_terminal t, app_user u
       where o.id = ${sale.storeId} and t.id = ${sale.terminalId} and u.id = ${sale.cashierId}`.execute(ctx.db)
  ).rows[0] as {
    id: number;
    code: string;
    name: string;
    address: string | null;
    phone: string | null;
    terminal_code: string;
    settings: unknown;
    cashier_name: string;
  };
  const original = sale.originalSaleId
    ? await ctx.db.selectFrom('pos_sale').select('receipt_no').where('id', '=', sale.originalSaleId).executeTakeFirst()
    : undefined;
  const products = await productSelect(ctx.db)
    .where(
      'p.id',
      'in',
      sale.lines.map((l) => l.productId),
    )
    .execute();
  const byId = new Map(products.map((p) => [p.id, p]));
  const w = width ?? terminalSettings.parse(meta.settings ?? {}).printerWidth;
  const settings = await loadStoreSettings(ctx.db, sale.storeId);
  const template = settings.receiptTemplates[String(w) as '58' | '80'];
  const store = { id: meta.id, code: meta.code, name: meta.name, address: meta.address, phone: meta.phone };
  const lines = sale.lines.map((l) => {
    const p = byId.get(l.productId);
    return {
      lineNo: l.lineNo,
      code: p?.code ?? String(l.productId),
      name: p ? `${p.name}${p.spec ? ` ${p.spec}` : ''}` : String(l.productId),
      qty: dec(l.qty).toFixed(),
      unitPrice: money(l.basePrice),
      amount: l.amount,
      discount: money(dec(l.gross).minus(l.amount).plus(l.rounding)),
    };
  });
  const discount = money(dec(sale.strategyDiscount).plus(sale.lineDiscount).plus(sale.saleDiscount));
  const totals = {
    gross: sale.gross,
    discount,
    rounding: sale.rounding,
    total: sale.total,
    paid: sale.paid,
    change: sale.change,
    savings: money(dec(sale.gross).minus(sale.total)),
  };
  const tenders = sale.tenders.map((t) => ({
    method: t.method,
    label: tenderMethodLabels[t.method as keyof typeof tenderMethodLabels] ?? { zh: t.method, en: t.method },
    amount: t.tendered,
  }));
  // A line built only around placeholders the store has not filled in ("电话 {storePhone}") is left out.
  const header = template.header
    .filter((h) => {
      const values = [...h.matchAll(/\{(\w+)\}/g)].map((m) => fill(m[0], store));
      return values.length === 0 || values.some((v) => v !== '');
    })
    .map((h) => fill(h, store));
  const cols = RECEIPT_COLUMNS[w];
  const rule = '-'.repeat(cols);
  const text: string[] = [];
  for (const h of header) text.push(center(h, cols));
  if (sale.kind === 'return') text.push(center('退货单 RETURN', cols));
  text.push(`小票号 ${sale.receiptNo}`);
  const terminal = `收银机 ${meta.terminal_code}`;
  const cashier = template.showCashier ? `收银员 ${meta.cashier_name}` : '';
  if (displayWidth(terminal) + displayWidth(cashier) + 1 <= cols) text.push(twoColumns(terminal, cashier, cols));
  else text.push(...[terminal, cashier].filter(Boolean).map((s) => fit(s, cols)));
  text.push(localTime(sale.soldAt));
  if (original) text.push(`原小票 ${original.receipt_no}`);
  text.push(rule);
  for (const l of lines) {
    text.push(fit(l.name, cols));
    text.push(twoColumns(`  ${l.qty} x ${l.unitPrice}`, l.amount, cols));
    if (dec(l.discount).greaterThan(0)) text.push(twoColumns('  优惠', `-${l.discount}`, cols));
  }
  text.push(rule);
  text.push(twoColumns('合计 Total', totals.total, cols));
  if (!dec(totals.rounding).isZero()) text.push(twoColumns('抹零 Rounding', totals.rounding, cols));
  for (const t of tenders) text.push(twoColumns(`${t.label.zh} ${t.label.en}`, t.amount, cols));
  if (!dec(totals.change).isZero()) text.push(twoColumns('找零 Change', totals.change, cols));
  if (template.showSavings && dec(totals.savings).greaterThan(0))
    text.push(twoColumns('本单节省 You saved', totals.savings, cols));
  text.push(rule);
  for (const f of template.footer) text.push(center(fill(f, store), cols));
  return {
    saleId: sale.id,
    receiptNo: sale.receiptNo,
    kind: sale.kind,
    width: w,
    store,
    terminalCode: meta.terminal_code,
    cashierName: meta.cashier_name,
    soldAt: sale.soldAt,
    businessDay: sale.businessDay,
    header,
    footer: template.footer.map((f) => fill(f, store)),
    lines,
    totals,
    tenders,
    originalReceiptNo: original?.receipt_no ?? null,
    qr: qrContent(template, sale.receiptNo, store.code),
    barcode: template.showBarcode ? sale.receiptNo : null,
    text,
  };
}

export interface PriceTag {
  productId: number;
  code: string;
  name: string;
  spec: string;
  unit: string | null;
  origin: string | null;
  barcode: string | null;
  /** 'ean13', 'ean8', 'internal' — the label prints EAN codes as such, others as CODE128. */
  barcodeKind: string | null;
  retailPrice: string | null;
  memberPrice: string | null;
}

/** Price-tag (价签) data for products at a store: what the label sheet prints. */
export async function priceTags(ctx: Ctx, q: { storeId: number; productIds: number[] }): Promise<PriceTag[]> {
  authorize(ctx, 'product', 'view');
  ctx.scope.assert(q.storeId, 'org', q.storeId);
  const ids = [...new Set(q.productIds)];
  if (!ids.length) return [];
  const rows = await productSelect(ctx.db).where('p.id', 'in', ids).execute();
  const prices = await resolvePrices(ctx.db, {
    storeId: q.storeId,
    productIds: ids,
    priceTypes: ['retail', 'member'],
    at: new Date(),
  });
  const byId = new Map(rows.map((r) => [r.id, toProductDto(r)]));
  return ids
    .filter((id) => byId.has(id))
    .map((id) => {
      const p = byId.get(id) as ReturnType<typeof toProductDto>;
      const bc = p.barcodes.find((b) => b.isPrimary) ?? p.barcodes[0];
      return {
        productId: p.id,
        code: p.code,
        name: p.name,
        spec: p.spec,
        unit: p.baseUnitName,
        origin: p.origin,
        barcode: bc?.barcode ?? null,
        barcodeKind: bc?.kind ?? null,
        retailPrice: prices.get(id)?.retail ?? null,
        memberPrice: prices.get(id)?.member ?? null,
      };
    });
}
