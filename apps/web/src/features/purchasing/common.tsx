import { type DocStatus, dec } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../../shared/api';
import { useSession } from '../../shared/session';
import type { DocumentLine, LineUnitAttrs } from './api';
import './purchasing.css';
import type { PLine } from './PurchaseLines';

/** A decimal string as typed ("200.000" → "200"). */
export function plain(v: string | null | undefined): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  return dec(v).toFixed();
}

/** A stored purchasing line back in the unit it was entered in (quantity, refused quantity and price). */
export function toPLine(l: DocumentLine): PLine {
  const a = (l.attrs ?? {}) as LineUnitAttrs;
  const factor = a.factor ?? '1';
  const rejected = a.rejectedQty !== undefined ? dec(a.rejectedQty).dividedBy(factor).toFixed() : undefined;
  return {
    productId: l.productId ?? undefined,
    unitId: a.unitId ?? null,
    qty: plain(a.unitQty ?? l.qty),
    unitPrice: plain(a.unitPrice ?? l.unitPrice),
    rejectedQty: rejected && rejected !== '0' ? rejected : undefined,
    rejectReason: a.rejectReason,
    lotNo: l.lotNo || undefined,
    expiryDate: l.expiryDate,
    shelfId: l.shelfId,
    purchaseOrderLineId: l.refLineId ?? undefined,
    remarks: l.remarks ?? undefined,
  };
}

/** Empty inputs are "not given"; lines keep only what the contracts take. */
export function lineInput(l: PLine, kind: 'order' | 'receipt' | 'self') {
  const v = (s: string | undefined) => (s === undefined || s === '' ? undefined : s.trim());
  const base = {
    productId: l.productId,
    unitId: l.unitId ?? null,
    qty: v(l.qty) ?? '',
    unitPrice: v(l.unitPrice),
    remarks: v(l.remarks),
  };
  if (kind === 'order') return base;
  return {
    ...base,
    rejectedQty: v(l.rejectedQty),
    rejectReason: v(l.rejectReason),
    lotNo: v(l.lotNo),
    expiryDate: l.expiryDate ?? undefined,
    shelfId: l.shelfId ?? undefined,
    ...(kind === 'receipt' && l.purchaseOrderLineId !== undefined ? { purchaseOrderLineId: l.purchaseOrderLineId } : {}),
  };
}

export const EDITABLE_STATES: readonly DocStatus[] = ['draft', 'rejected'];

/** Default purchase prices (per base unit) of products at an org, for placeholders and amounts. */
export function usePurchasePrices(orgId: number | null | undefined, productIds: readonly (number | undefined)[]) {
  const { can } = useSession();
  const ids = [...new Set(productIds.filter((x): x is number => typeof x === 'number'))].sort((a, b) => a - b);
  const q = useQuery({
    queryKey: ['purchase-prices', orgId, ids.join(',')],
    queryFn: () =>
      api.get<{ items: { productId: number; price: string | null }[] }>('/api/purchasing/purchase-prices', {
        orgId: orgId ?? undefined,
        productIds: ids.join(','),
      }),
    enabled: typeof orgId === 'number' && ids.length > 0 && can('price:view'),
    staleTime: 60_000,
    placeholderData: (prev) => prev,
    retry: false,
  });
  const map = new Map<number, string>();
  for (const i of q.data?.items ?? []) if (i.price !== null) map.set(i.productId, i.price);
  return map;
}

export function Section({ children }: { children: ReactNode }) {
  return <div className="erp-panel">{children}</div>;
}
