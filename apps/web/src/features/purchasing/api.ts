import type { DocStatus, ProductDto } from '@erp/contracts';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { DocumentLine, DocumentWithLines } from '../documents/api';

export type { DocumentLine, DocumentWithLines };

export interface PurchaseOrderListItem {
  id: number;
  number: string;
  status: DocStatus;
  businessDate: string;
  orgId: number;
  orgCode: string;
  orgName: string;
  warehouseId: number | null;
  warehouseName: string | null;
  supplierId: number | null;
  supplierCode: string | null;
  supplierName: string | null;
  expectedDate: string | null;
  totalAmount: string;
  orderedQty: string;
  receivedQty: string;
  openQty: string;
  closedShort: boolean;
  createdAt: string;
}

export interface OrderLineProgress {
  lineId: number;
  lineNo: number;
  productId: number;
  productCode: string;
  productName: string;
  orderedQty: string;
  receivedQty: string;
  openQty: string;
  unitPrice: string;
  amount: string;
  status: 'active' | 'void';
  attrs: LineUnitAttrs;
}

export interface PurchaseOrderDetail extends DocumentWithLines {
  progress: OrderLineProgress[];
  orderedQty: string;
  receivedQty: string;
  openQty: string;
  closedShort: { reason: string; closedAt: string } | null;
}

/** What a purchasing line remembers of how it was entered (pack unit, quantity and price as typed). */
export interface LineUnitAttrs {
  unitId?: number;
  unitQty?: string;
  unitPrice?: string;
  factor?: string;
  rejectedQty?: string;
  rejectReason?: string;
  voidReason?: string;
  voidedAt?: string;
  [k: string]: unknown;
}

export interface ReturnableLine {
  receiptLineId: number;
  lineNo: number;
  productId: number;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  unitPrice: string;
  receivedQty: string;
  returnedQty: string;
  returnableQty: string;
}

export interface PurchasingSettingsDto {
  orgId: number;
  own: { requirePurchaseOrder: boolean | null; overReceiptTolerancePct: string | null; selfPurchaseAllowed: boolean | null };
  effective: { requirePurchaseOrder: boolean; overReceiptTolerancePct: string; selfPurchaseAllowed: boolean };
}

export function usePurchasingSettings(orgId: number | null | undefined) {
  return useQuery({
    queryKey: ['purchasing-settings', orgId],
    queryFn: () => api.get<PurchasingSettingsDto>(`/api/purchasing/settings/${orgId}`),
    enabled: typeof orgId === 'number',
    staleTime: 30_000,
  });
}

export function useDocument<T extends DocumentWithLines = DocumentWithLines>(id: number | undefined, url?: string) {
  return useQuery({
    queryKey: ['documents', id, url ?? 'generic'],
    queryFn: () => api.get<T>(url ?? `/api/documents/${id}`),
    enabled: typeof id === 'number' && Number.isFinite(id),
  });
}

/** Products by id with units and barcodes (document lines carry ids), fetched once each and cached. */
export function useProducts(ids: readonly (number | null | undefined)[]): Map<number, ProductDto> {
  const distinct = [...new Set(ids.filter((x): x is number => typeof x === 'number'))].slice(0, 300);
  const results = useQueries({
    queries: distinct.map((id) => ({
      queryKey: ['product-full', id],
      queryFn: () => api.get<ProductDto>(`/api/products/${id}`),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const map = new Map<number, ProductDto>();
  results.forEach((r, i) => {
    if (r.data) map.set(distinct[i]!, r.data);
  });
  return map;
}

export interface AcceptanceRecordRow {
  id: number;
  orgId: number;
  orgName: string;
  warehouseName: string;
  documentId: number;
  number: string;
  docType: string;
  supplierName: string | null;
  productId: number;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  receivedQty: string;
  acceptedQty: string;
  rejectedQty: string;
  conclusion: 'accepted' | 'partly_rejected' | 'rejected';
  rejectReason: string | null;
  inspector: string;
  inspectedAt: string;
  businessDate: string;
  voided: boolean;
}

export interface PurchaseDetailRow {
  documentId: number;
  number: string;
  docType: string;
  businessDate: string;
  orgId: number;
  orgName: string;
  warehouseName: string | null;
  supplierId: number | null;
  supplierCode: string | null;
  supplierName: string | null;
  lineId: number;
  lineNo: number;
  productId: number;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  qty: string;
  unitPrice: string;
  amount: string;
  lineStatus: string;
}

export interface PayableRow {
  id: number;
  orgId: number;
  orgName: string;
  supplierId: number;
  supplierCode: string | null;
  supplierName: string | null;
  documentId: number;
  number: string;
  docType: string;
  amount: string;
  businessDate: string;
}

export interface FirstOperationDetail extends DocumentWithLines {
  result: { kind: string; productId: number | null; partnerId: number | null; decidedAt: string } | null;
}
