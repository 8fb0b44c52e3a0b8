import type { DocStatus, DocType } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

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
  createdAt: string;
  updatedAt: string;
  approvedBy: number | null;
  approvedAt: string | null;
  confirmedAt: string | null;
  postedAt: string | null;
  completedAt: string | null;
  voidedAt: string | null;
  version: number;
  orgName?: string;
  orgCode?: string;
}

export interface DocumentWithLines extends DocumentHeader {
  lines: DocumentLine[];
}

export interface DocTypeSetting {
  docType: DocType;
  needsApproval: boolean;
  autoPost: boolean;
  /** States a rollback (回退) is allowed from; empty when the type has none. */
  rollbackFrom?: DocStatus[];
  /** Whether posting (记账) means something for this type. */
  posts?: boolean;
}

export function useDocConfig(orgId: number | null | undefined, enabled = true) {
  return useQuery({
    queryKey: ['doc-config', orgId],
    queryFn: () => api.get<DocTypeSetting[]>('/api/doc-config', { orgId: orgId ?? undefined }),
    enabled: enabled && !!orgId,
  });
}
