import type { FulfilmentStatus, SaleKind, SaleStatus } from '@erp/contracts';

/** A sale ready to be written: amounts computed, ids allocated, stock costs filled in after posting. */
export interface PreparedSale {
  id: number;
  clientId: string;
  storeId: number;
  terminalId: number;
  cashierId: number;
  shiftId: string | null;
  kind: SaleKind;
  status: Exclude<SaleStatus, 'void'>;
  receiptNo: string;
  businessDay: string;
  soldAt: Date;
  completedAt: Date | null;
  memberId: number | null;
  priceType: string;
  originalSaleId: number | null;
  gross: string;
  strategyDiscount: string;
  lineDiscount: string;
  saleDiscount: string;
  rounding: string;
  total: string;
  paid: string;
  change: string;
  cogs: string | null;
  warehouseId: number;
  /** The store sells expired lots in plain FEFO order (else they go last and are flagged). */
  sellExpired: boolean;
  fulfilment: FulfilmentStatus;
  offline: boolean;
  priceVariance: boolean;
  authorizationId: string | null;
  saleDiscountKind: string | null;
  saleDiscountValue: string | null;
  remarks: string | null;
  lines: PreparedLine[];
  tenders: PreparedTender[];
  /** Mobile payments this sale takes (attached to it on write). */
  intentIds: string[];
  /** Allowance used up by this sale (AUTH-4). */
  consumeAuthorizationId: string | null;
  auditDetail: Record<string, unknown>;
  /** The fingerprint of the body the till sent for this client id (a replay with another body is refused). */
  fingerprint?: string | null;
  /** It reached the server after its own day had closed and lands on a later day (POS-8). */
  late?: boolean;
}

export interface PreparedLine {
  id: number;
  lineNo: number;
  productId: number;
  /** Signed: negative on returns. */
  qty: string;
  basePrice: string;
  listPrice: string | null;
  gross: string;
  strategyDiscount: string;
  lineDiscount: string;
  saleDiscount: string;
  rounding: string;
  amount: string;
  discountKind: string | null;
  discountValue: string | null;
  unitCost: string | null;
  costAmount: string | null;
  originalLineId: number | null;
  barcode: string | null;
  /** The lot a scanned GS1 code named (taken first); not stored on the line — the ledger holds the lots. */
  lotNo?: string | null;
}

export interface PreparedTender {
  seq: number;
  method: string;
  amount: string;
  tendered: string;
  change: string;
  reference: string | null;
  paymentIntentId: string | null;
  originalSeq: number | null;
}

export interface SaleDto {
  id: number;
  clientId: string;
  storeId: number;
  terminalId: number;
  cashierId: number;
  shiftId: string | null;
  kind: SaleKind;
  status: SaleStatus;
  receiptNo: string;
  businessDay: string;
  soldAt: Date;
  completedAt: Date | null;
  memberId: number | null;
  originalSaleId: number | null;
  gross: string;
  strategyDiscount: string;
  lineDiscount: string;
  saleDiscount: string;
  rounding: string;
  total: string;
  paid: string;
  change: string;
  cogs: string | null;
  fulfilment: FulfilmentStatus;
  offline: boolean;
  priceVariance: boolean;
  invoiceNo: string | null;
  invoiceAt: Date | null;
  remarks: string | null;
  /** Reached the server after its own day had closed; booked on the next open day. */
  late: boolean;
  lines: {
    id: number;
    lineNo: number;
    productId: number;
    qty: string;
    basePrice: string;
    listPrice: string | null;
    gross: string;
    strategyDiscount: string;
    lineDiscount: string;
    saleDiscount: string;
    rounding: string;
    amount: string;
    unitCost: string | null;
    costAmount: string | null;
    originalLineId: number | null;
  }[];
  tenders: {
    seq: number;
    method: string;
    amount: string;
    tendered: string;
    change: string;
    reference: string | null;
    paymentIntentId: string | null;
  }[];
}

export function preparedToDto(s: PreparedSale): SaleDto {
  return {
    id: s.id,
    clientId: s.clientId,
    storeId: s.storeId,
    terminalId: s.terminalId,
    cashierId: s.cashierId,
    shiftId: s.shiftId,
    kind: s.kind,
    status: s.status,
    receiptNo: s.receiptNo,
    businessDay: s.businessDay,
    soldAt: s.soldAt,
    completedAt: s.completedAt,
    memberId: s.memberId,
    originalSaleId: s.originalSaleId,
    gross: s.gross,
    strategyDiscount: s.strategyDiscount,
    lineDiscount: s.lineDiscount,
    saleDiscount: s.saleDiscount,
    rounding: s.rounding,
    total: s.total,
    paid: s.paid,
    change: s.change,
    cogs: s.cogs,
    fulfilment: s.fulfilment,
    offline: s.offline,
    priceVariance: s.priceVariance,
    invoiceNo: null,
    invoiceAt: null,
    remarks: s.remarks,
    late: s.late ?? false,
    lines: s.lines.map((l) => ({
      id: l.id,
      lineNo: l.lineNo,
      productId: l.productId,
      qty: l.qty,
      basePrice: l.basePrice,
      listPrice: l.listPrice,
      gross: l.gross,
      strategyDiscount: l.strategyDiscount,
      lineDiscount: l.lineDiscount,
      saleDiscount: l.saleDiscount,
      rounding: l.rounding,
      amount: l.amount,
      unitCost: l.unitCost,
      costAmount: l.costAmount,
      originalLineId: l.originalLineId,
    })),
    tenders: s.tenders.map((t) => ({
      seq: t.seq,
      method: t.method,
      amount: t.amount,
      tendered: t.tendered,
      change: t.change,
      reference: t.reference,
      paymentIntentId: t.paymentIntentId,
    })),
  };
}
