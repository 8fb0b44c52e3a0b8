import type * as contracts from '@erp/contracts';
import type { DocType, StockDirection, Wire } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export type { DocumentHeader, DocumentLine, DocumentWithLines } from '../documents/api';

export type StockStatus = 'sellable' | 'unsellable' | 'pending_check';
export const STOCK_STATUSES: readonly StockStatus[] = ['sellable', 'unsellable', 'pending_check'];

export type VarianceTotals = contracts.VarianceTotals;
export type StocktakeDto = Wire<contracts.StocktakeDto>;
export type StocktakeLineDto = Wire<contracts.StocktakeLineDto>;
export type StocktakeSheet = Wire<contracts.StocktakeSheet>;
export type LedgerDetailEntry = contracts.LedgerDetailEntry;
export type LedgerDetailGroup = contracts.LedgerDetailGroup;

export interface StocktakeVariance {
  stocktake: StocktakeDto;
  totals: VarianceTotals;
  surplus: StocktakeLineDto[];
  shortage: StocktakeLineDto[];
}

export interface ReviewItem {
  id: number;
  docType: DocType;
  direction: StockDirection;
  number: string;
  orgId: number;
  orgCode: string;
  orgName: string;
  warehouseId: number | null;
  warehouseCode: string | null;
  businessDate: string;
  totalQty: string;
  totalAmount: string;
  lines: number;
  confirmedAt: string | null;
  remarks: string | null;
}

export interface DocumentCosts {
  documentId: number;
  number: string;
  docType: DocType;
  posted: boolean;
  lines: {
    lineId: number;
    lineNo: number;
    productId: number;
    warehouseId: number;
    qty: string;
    unitCost: string;
    amount: string;
    basis: 'entered' | 'batch' | 'average' | 'ledger';
  }[];
  total: string;
  /** Warehouses and shelves the document names (readable without the warehouse grants). */
  warehouses: { id: number; code: string; name: string }[];
  shelves: { id: number; code: string; name: string }[];
}

export interface StockBalanceRow {
  warehouseId: number;
  warehouseCode: string;
  productId: number;
  productCode: string;
  productName: string;
  productSpec: string;
  unitName: string | null;
  batchNo: string | null;
  lotNo: string | null;
  expiryDate: string | null;
  shelfId: number | null;
  shelfCode: string | null;
  status: StockStatus | null;
  qty: string;
  avgCost: string;
  value: string;
}

export function useStocktake(id: number | undefined) {
  return useQuery({
    queryKey: ['stocktake', id],
    queryFn: () => api.get<StocktakeDto>(`/api/stocktakes/${id}`),
    enabled: typeof id === 'number' && Number.isFinite(id),
  });
}

/** Every line of a stocktake (sheets run to a few thousand lines; the API pages at 2,000). */
export async function fetchAllStocktakeLines(id: number, signal?: AbortSignal): Promise<StocktakeLineDto[]> {
  const out: StocktakeLineDto[] = [];
  for (let page = 1; page < 100; page++) {
    const r = await api.get<{ items: StocktakeLineDto[]; total: number }>(
      `/api/stocktakes/${id}/lines`,
      { page, pageSize: 2000 },
      signal,
    );
    out.push(...r.items);
    if (out.length >= r.total || !r.items.length) break;
  }
  return out;
}

/** Stock on hand of one product in one warehouse, by batch/lot/shelf/status (to pick what a line takes). */
export function useStockKeys(warehouseId: number | null | undefined, productId: number | null | undefined, enabled = true) {
  return useQuery({
    queryKey: ['stock-keys', warehouseId, productId],
    queryFn: () =>
      api.get<{ items: StockBalanceRow[] }>('/api/stock/balances', {
        warehouseId: warehouseId ?? undefined,
        productId: productId ?? undefined,
        pageSize: 100,
      }),
    enabled: enabled && typeof warehouseId === 'number' && typeof productId === 'number',
    staleTime: 15_000,
  });
}
