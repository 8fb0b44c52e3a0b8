import type { DocStatus, DocType } from '@erp/contracts';

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

/** Lines that count: not voided, not rejected at line level. */
export function effectiveLines(doc: DocumentWithLines): DocumentLine[] {
  return doc.lines.filter((l) => l.status === 'active' && l.approvalStatus !== 'rejected');
}
