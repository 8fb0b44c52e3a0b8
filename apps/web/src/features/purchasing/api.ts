import type * as contracts from '@erp/contracts';
import type { ProductDto, Wire } from '@erp/contracts';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { DocumentLine, DocumentWithLines } from '../documents/api';

export type { DocumentLine, DocumentWithLines };

export type PurchaseOrderListItem = Wire<contracts.PurchaseOrderListItem>;
export type AcceptanceRecordRow = Wire<contracts.AcceptanceRecordRow>;
export type PurchaseDetailRow = contracts.PurchaseDetailRow;
export type PayableRow = contracts.PayableRow;

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

export interface FirstOperationDetail extends DocumentWithLines {
  result: { kind: string; productId: number | null; partnerId: number | null; decidedAt: string } | null;
}
