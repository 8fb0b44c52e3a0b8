import type { DocType, StockDirection } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export type { DocumentHeader, DocumentLine, DocumentWithLines } from '../documents/api';

export type StockStatus = 'sellable' | 'unsellable' | 'pending_check';
export const STOCK_STATUSES: readonly StockStatus[] = ['sellable', 'unsellable', 'pending_check'];

export interface VarianceTotals {
  surplusQty: string;
  surplusAmount: string;
  shortageQty: string;
  shortageAmount: string;
  surplusLines: number;
  shortageLines: number;
}

export interface StocktakeDto {
  id: number;
  number: string;
  status: string;
  orgId: number;
  businessDate: string;
  warehouseId: number | null;
  mode: 'static' | 'dynamic';
  since: string | null;
  counterId: number | null;
  shelfId: number | null;
  entryMode: 'sheet' | 'blind';
  uncountedAs: 'zero' | 'book';
  snapshotLedgerId: number;
  snapshotAt: string;
  remarks: string | null;
  lines: number;
  countedLines: number;
  totals: VarianceTotals | null;
  generatedAt: string | null;
  generatedDocuments: { id: number; number: string; docType: string; status: string }[];
  version: number;
}

export interface StocktakeLineDto {
  id: number;
  lineNo: number;
  origin: 'sheet' | 'blind';
  warehouseId: number;
  warehouseCode: string;
  productId: number;
  productCode: string;
  productName: string;
  productSpec: string;
  unitName: string | null;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  shelfId: number | null;
  shelfCode: string | null;
  shelfName: string | null;
  status: string;
  bookQty: string | null;
  countedQty: string | null;
  countedAt: string | null;
  movedQty: string | null;
  bookAtCount: string | null;
  varianceQty: string | null;
  unitCost: string | null;
  varianceAmount: string | null;
}

export interface StocktakeSheet {
  stocktake: StocktakeDto;
  org: { id: number; code: string; name: string };
  warehouses: { id: number; code: string; name: string }[];
  counter: { id: number; code: string; name: string } | null;
  shelf: { id: number; code: string; name: string } | null;
  showsBook: boolean;
  lines: StocktakeLineDto[];
}

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

export interface LedgerDetailEntry {
  id: number;
  businessDate: string;
  sourceType: string;
  sourceId: number;
  documentNumber: string | null;
  docType: string | null;
  batchNo: string;
  lotNo: string;
  shelfId: number | null;
  status: string;
  inQty: string;
  outQty: string;
  unitCost: string;
  amount: string;
  balanceQty: string;
  balanceAmount: string;
}

export interface LedgerDetailGroup {
  warehouseId: number;
  warehouseCode: string;
  warehouseName: string;
  productId: number;
  productCode: string;
  productName: string;
  openingQty: string;
  openingAmount: string;
  inQty: string;
  inAmount: string;
  outQty: string;
  outAmount: string;
  closingQty: string;
  closingAmount: string;
  entries: LedgerDetailEntry[];
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
