import type { PriceScope, PriceType } from './catalog/pricing.js';
import type { DocType } from './doc-types.js';
import type { Bilingual } from './i18n.js';

/** States of the one document lifecycle (SPEC DOC). */
export const DOC_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'rejected',
  'confirmed',
  'posted',
  'completed',
  'void',
] as const;
export type DocStatus = (typeof DOC_STATUSES)[number];

export const docStatusLabels: Record<DocStatus, Bilingual> = {
  draft: { zh: '临时', en: 'Draft' },
  pending_approval: { zh: '待审核', en: 'Pending approval' },
  approved: { zh: '审核通过', en: 'Approved' },
  rejected: { zh: '审核不通过', en: 'Rejected' },
  confirmed: { zh: '正式', en: 'Confirmed' },
  posted: { zh: '已记账', en: 'Posted' },
  completed: { zh: '完成', en: 'Completed' },
  void: { zh: '作废', en: 'Void' },
};

export const DOC_ACTIONS = ['submit', 'approve', 'reject', 'confirm', 'post', 'complete', 'void', 'rollback'] as const;
export type DocAction = (typeof DOC_ACTIONS)[number];

export const docActionLabels: Record<DocAction, Bilingual> = {
  submit: { zh: '提交审核', en: 'submit' },
  approve: { zh: '审核通过', en: 'approve' },
  reject: { zh: '审核不通过', en: 'reject' },
  confirm: { zh: '确认', en: 'confirm' },
  post: { zh: '记账', en: 'post' },
  complete: { zh: '完成', en: 'complete' },
  void: { zh: '作废', en: 'void' },
  rollback: { zh: '回退', en: 'roll back' },
};

// ---- the shapes of a document (the server's; over HTTP see `Wire<T>`)

export interface DocumentLine {
  id: number;
  lineNo: number;
  productId: number | null;
  qty: string;
  unitPrice: string;
  amount: string;
  warehouseId: number | null;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  shelfId: number | null;
  stockStatus: 'sellable' | 'unsellable' | 'pending_check';
  status: 'active' | 'void';
  approvalStatus: 'pending' | 'approved' | 'rejected' | null;
  approvalComment: string | null;
  refLineId: number | null;
  remarks: string | null;
  attrs: Record<string, unknown>;
}

export interface DocumentHeader {
  id: number;
  docType: DocType;
  orgId: number;
  number: string;
  status: DocStatus;
  businessDate: string;
  warehouseId: number | null;
  counterpartyOrgId: number | null;
  partnerId: number | null;
  refDocumentId: number | null;
  remarks: string | null;
  attrs: Record<string, unknown>;
  totalQty: string;
  totalAmount: string;
  lineApproval: boolean;
  rejectComment: string | null;
  createdBy: number;
  createdAt: Date;
  updatedAt: Date;
  approvedBy: number | null;
  approvedAt: Date | null;
  confirmedAt: Date | null;
  postedAt: Date | null;
  completedAt: Date | null;
  voidedAt: Date | null;
  version: number;
}

export interface DocumentWithLines extends DocumentHeader {
  lines: DocumentLine[];
}

// ---- what a type tells the generic document view about itself (GET /api/documents/:id/details)

/** An org as a document view names it. */
export interface NamedOrg {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
}

/** One line of a price change: where and which price, what it was before and what it becomes, and when. */
export interface PriceChangeLineDetail {
  lineId: number;
  productId: number;
  productCode: string;
  productName: string;
  priceType: PriceType;
  scope: PriceScope;
  region: string | null;
  store: NamedOrg | null;
  /** The price in effect for this scope just before the change takes effect; null when there was none. */
  oldPrice: string | null;
  newPrice: string;
  /** ISO timestamps; `effectiveFrom` null: takes effect when confirmed. */
  effectiveFrom: string | null;
  effectiveTo: string | null;
}

/** A price change (调价单) as its view shows it: its reach (all stores / regions / stores) and old → new per line. */
export interface PriceChangeDetails {
  kind: 'price_change';
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** Whether the start is the one scheduled on confirmation (true) or still the planned one. */
  scheduled: boolean;
  reach: { allStores: boolean; regions: string[]; stores: NamedOrg[] };
  lines: PriceChangeLineDetail[];
}

/** Type-specific facts of a document for the generic view, one shape per type that describes itself. */
export type DocumentDetails = PriceChangeDetails;
