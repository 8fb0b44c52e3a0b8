import { type DocStatus, dec } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Result, Spin } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { Link } from 'react-router';
import { ApiError, api, errorText } from '../../shared/api';
import { useT } from '../../shared/i18n';
import { useSession } from '../../shared/session';
import type { DocumentLine, LineUnitAttrs } from './api';
import { m } from './messages';
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

/** Ctrl+S saves the form of the page (a browser would save the web page instead). */
export function useSaveHotkey(save: () => void, enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, enabled]);
}

/** Loading and not-found states of a document screen. */
export function DocLoading({ query, back }: { query: { isLoading: boolean; isError: boolean; error: unknown }; back: string }) {
  const t = useT(m);
  if (query.isLoading) return <Spin />;
  const notFound = query.error instanceof ApiError && query.error.status === 404;
  return (
    <Result
      status={notFound ? '404' : 'error'}
      title={notFound ? t('doc.notFound') : t('common.loadFailed')}
      subTitle={errorText(query.error)}
      extra={<Link to={back}>{t('common.back')}</Link>}
    />
  );
}

/** The rejection comment of a document sent back by its reviewer. */
export function RejectNote({ status, comment }: { status: DocStatus; comment: string | null }) {
  const t = useT(m);
  if (status !== 'rejected' || !comment) return null;
  return <Alert type="error" showIcon title={`${t('doc.rejectComment')}：${comment}`} style={{ marginBottom: 12 }} />;
}

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

/** A link button to the generic document page (full history, attachments of the engine). */
export function HistoryLink({ id }: { id: number }) {
  const t = useT(m);
  return (
    <Link to={`/documents/${id}`}>
      <Button>{t('doc.openGeneric')}</Button>
    </Link>
  );
}

export function Section({ children }: { children: ReactNode }) {
  return <div className="erp-panel">{children}</div>;
}
