import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { type DocumentLineInput, dec } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, fullError } from '../../shared/api';
import { DocStatusTag } from '../../shared/docs';
import { FormError } from '../../shared/FormError';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect, useProductNames } from '../../shared/ProductSelect';
import { applyScan, ScanBox, type ScanHit, type ScanOutcome } from '../../shared/scan';
import { gridKeys } from '../../shared/scan/gridNav';
import { useWarehouses, WarehouseSelect } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { DateField, ReasonCodeSelect, ShelfSelect, useReasonCodes } from '../../shared/stockPickers';
import { DocActions } from '../documents/DocActions';
import { DocLoading, HistoryLink, RejectNote, useSaveHotkey } from '../documents/DocParts';
import {
  type DocumentCosts,
  type DocumentLine,
  type DocumentWithLines,
  type StockBalanceRow,
  type StockStatus,
  useStockKeys,
} from './api';
import { StockStatusSelect, useStatusLabel } from './common';
import { KINDS, type KindDef, pathOfDoc, type StockDocKind } from './kinds';
import { m } from './messages';

/** A line as the screen edits it (base-unit quantity; target fields of adjustments and moves flattened). */
interface SLine {
  key: string;
  productId?: number | undefined;
  qty?: string | undefined;
  unitPrice?: string | undefined;
  batchNo?: string | undefined;
  lotNo?: string | undefined;
  expiryDate?: string | null | undefined;
  shelfId?: number | null | undefined;
  stockStatus?: StockStatus | undefined;
  costMode?: 'auto' | 'manual' | undefined;
  reason?: string | undefined;
  toBatchNo?: string | undefined;
  toLotNo?: string | undefined;
  toShelfId?: number | null | undefined;
  toStatus?: StockStatus | undefined;
  remarks?: string | undefined;
}

interface Header {
  orgId?: number | undefined;
  warehouseId?: number | undefined;
  toWarehouseId?: number | undefined;
  reasonCodeId?: number | undefined;
  reason?: string | undefined;
  costMode: 'auto' | 'manual';
  remarks?: string | undefined;
}

const QTY_RE = /^\d+(\.\d{1,3})?$/;
let seq = 0;
const newKey = () => `n${++seq}`;
const text = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === '' ? undefined : v.trim());
const plain = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? undefined : dec(v).toFixed());

function fromDoc(l: DocumentLine): SLine {
  const a = (l.attrs ?? {}) as Record<string, unknown> & {
    to?: { batchNo?: string; lotNo?: string; shelfId?: number | null; stockStatus?: StockStatus };
  };
  return {
    key: `l${l.id}`,
    productId: l.productId ?? undefined,
    qty: plain(l.qty),
    unitPrice: dec(l.unitPrice).greaterThan(0) ? plain(l.unitPrice) : undefined,
    batchNo: l.batchNo || undefined,
    lotNo: l.lotNo || undefined,
    expiryDate: l.expiryDate,
    shelfId: l.shelfId,
    stockStatus: l.stockStatus,
    costMode: a.costMode as SLine['costMode'],
    reason: a.reason as string | undefined,
    toBatchNo: a.to?.batchNo,
    toLotNo: a.to?.lotNo,
    toShelfId: a.to?.shelfId,
    toStatus: a.to?.stockStatus,
    ...(a.toShelfId !== undefined ? { toShelfId: a.toShelfId as number | null } : {}),
    remarks: l.remarks ?? undefined,
  };
}

function toInput(k: KindDef, l: SLine, headerMode: 'auto' | 'manual'): DocumentLineInput {
  const attrs: Record<string, unknown> = {};
  if (text(l.reason)) attrs.reason = text(l.reason);
  if (k.costMode && l.costMode && l.costMode !== headerMode) attrs.costMode = l.costMode;
  if (k.adjusts) {
    const to: Record<string, unknown> = {};
    if (l.toBatchNo !== undefined && l.toBatchNo !== (l.batchNo ?? '')) to.batchNo = l.toBatchNo.trim();
    if (l.toLotNo !== undefined && l.toLotNo !== (l.lotNo ?? '')) to.lotNo = l.toLotNo.trim();
    if (l.toShelfId !== undefined && l.toShelfId !== (l.shelfId ?? null)) to.shelfId = l.toShelfId;
    if (l.toStatus !== undefined && l.toStatus !== (l.stockStatus ?? 'sellable')) to.stockStatus = l.toStatus;
    attrs.to = to;
  }
  if (k.moves && l.toShelfId !== undefined) attrs.toShelfId = l.toShelfId;
  const manual = k.costMode && (l.costMode ?? headerMode) === 'manual';
  const cost = manual || (k.inbound && !k.costMode);
  return {
    productId: l.productId,
    qty: text(l.qty) ?? '',
    ...(cost && text(l.unitPrice) ? { unitPrice: text(l.unitPrice) } : {}),
    ...(text(l.batchNo) ? { batchNo: text(l.batchNo) } : {}),
    ...(text(l.lotNo) ? { lotNo: text(l.lotNo) } : {}),
    ...(l.expiryDate ? { expiryDate: l.expiryDate } : {}),
    ...(l.shelfId ? { shelfId: l.shelfId } : {}),
    ...(l.stockStatus && l.stockStatus !== 'sellable' ? { stockStatus: l.stockStatus } : {}),
    ...(text(l.remarks) ? { remarks: text(l.remarks) } : {}),
    ...(Object.keys(attrs).length ? { attrs } : {}),
  } as DocumentLineInput;
}

const STOCK_ORGS = ['dc', 'store'] as const;

/**
 * One screen for the inventory documents that are plain line lists: loss (报损) and overage (报溢) with
 * automatic or entered cost and HQ finance approval, other inbound/outbound (其他出入库), internal adjustment
 * (库内调整: what the stock becomes) and warehouse move (移库: to which warehouse and shelf). Lines by scan
 * (each scan adds one) or product search; outgoing lines pick the batch/lot/shelf/status they take from the
 * stock on hand. Saved documents show their value (estimate before posting, the ledger's after).
 */
export function StockDocPage({ kind }: { kind: StockDocKind }) {
  const k = KINDS[kind];
  const t = useT(m);
  const label = useLabel();
  const { id: idParam } = useParams();
  const id = idParam && idParam !== 'new' ? Number(idParam) : undefined;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can, currentOrg, orgs } = useSession();
  const orgLabel = useOrgLabel();
  const statusLabel = useStatusLabel();
  const reasonCodes = useReasonCodes();

  const doc = useQuery({
    queryKey: ['documents', id, 'stock-doc'],
    queryFn: () => api.get<DocumentWithLines>(`/api/documents/${id}`),
    enabled: id !== undefined,
  });
  const d = doc.data && doc.data.docType === k.docType ? doc.data : undefined;
  const costs = useQuery({
    queryKey: ['documents', id, 'costs', d?.version, d?.status],
    queryFn: () => api.get<DocumentCosts>(`/api/inventory/documents/${id}/costs`),
    enabled: !!d,
  });

  const defaultOrg = useMemo(() => {
    if (currentOrg && STOCK_ORGS.includes(currentOrg.kind as never)) return currentOrg.id;
    return orgs.find((o) => o.kind === 'store')?.id ?? orgs.find((o) => o.kind === 'dc')?.id;
  }, [currentOrg, orgs]);
  const [header, setHeader] = useState<Header>({ orgId: defaultOrg, costMode: 'auto' });
  const [lines, setLines] = useState<SLine[]>([]);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [flash, setFlash] = useState<{ key: string; n: number } | null>(null);
  const [tried, setTried] = useState(false);
  const [addKey, setAddKey] = useState(0);
  const grid = useRef<HTMLFieldSetElement>(null);

  const editable =
    id === undefined
      ? can(`doc.${k.docType}:create`)
      : !!d && ['draft', 'rejected'].includes(d.status) && can(`doc.${k.docType}:edit`);
  const warehouses = useWarehouses(header.orgId, typeof header.orgId === 'number' && can('warehouse:view'));
  const products = useProductNames(lines.map((l) => l.productId ?? null));

  useEffect(() => {
    if (!d) return;
    const a = d.attrs as { reasonCodeId?: number; reason?: string; costMode?: 'auto' | 'manual'; toWarehouseId?: number };
    setHeader({
      orgId: d.orgId,
      warehouseId: d.warehouseId ?? undefined,
      toWarehouseId: a.toWarehouseId,
      reasonCodeId: a.reasonCodeId,
      reason: a.reason,
      costMode: a.costMode ?? 'auto',
      remarks: d.remarks ?? undefined,
    });
    setLines(d.lines.filter((l) => l.status === 'active').map(fromDoc));
    setDirty(false);
  }, [d]);
  // A new document takes the org's default warehouse.
  useEffect(() => {
    if (id !== undefined || !warehouses.data?.length) return;
    setHeader((h) =>
      h.warehouseId && warehouses.data.some((w) => w.id === h.warehouseId)
        ? h
        : { ...h, warehouseId: (warehouses.data.find((w) => w.isDefault) ?? warehouses.data[0])?.id },
    );
  }, [id, warehouses.data]);

  const patchHeader = (p: Partial<Header>) => {
    setHeader((h) => ({ ...h, ...p }));
    setDirty(true);
  };
  const patchLine = (key: string, p: Partial<SLine>) => {
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...p } : l)));
    setDirty(true);
  };

  const save = useCallback(async (): Promise<boolean> => {
    setError(null);
    const rows = lines.filter((l) => l.productId !== undefined);
    setTried(true);
    if (!rows.length) {
      setError(t('doc.noLines'));
      return false;
    }
    // Quantities are checked here first, so the cell to fix is marked before anything is sent.
    const badQty = rows.findIndex((l) => !QTY_RE.test((l.qty ?? '').trim()) || dec(l.qty ?? '0').isZero());
    if (badQty >= 0) {
      setError(t('doc.badQty', { line: badQty + 1 }));
      grid.current?.querySelector<HTMLInputElement>(`[data-cell="qty-${rows[badQty]?.key}"]`)?.focus();
      return false;
    }
    const attrs: Record<string, unknown> = {};
    if (header.reasonCodeId !== undefined) attrs.reasonCodeId = header.reasonCodeId;
    if (text(header.reason)) attrs.reason = text(header.reason);
    if (k.costMode) attrs.costMode = header.costMode;
    if (k.moves && header.toWarehouseId !== undefined) attrs.toWarehouseId = header.toWarehouseId;
    const body = {
      warehouseId: header.warehouseId,
      remarks: text(header.remarks),
      attrs,
      lines: rows.map((l) => toInput(k, l, header.costMode)),
    };
    setSaving(true);
    try {
      if (id === undefined) {
        const created = await api.post<DocumentWithLines>('/api/documents', { docType: k.docType, orgId: header.orgId, ...body });
        message.success(t('doc.created', { number: created.number }));
        setDirty(false);
        await qc.invalidateQueries({ queryKey: ['list'] });
        navigate(`${k.base}/${created.id}`, { replace: true });
      } else {
        const updated = await api.put<DocumentWithLines>(`/api/documents/${id}`, {
          ...body,
          remarks: body.remarks ?? null,
          version: d?.version,
        });
        qc.setQueryData(['documents', id, 'stock-doc'], updated);
        message.success(t('doc.saved', { number: updated.number }));
        setDirty(false);
        await qc.invalidateQueries({ queryKey: ['list'] });
      }
      return true;
    } catch (e) {
      setError(fullError(e));
      return false;
    } finally {
      setSaving(false);
    }
  }, [lines, header, k, id, d?.version, qc, message, t, navigate]);
  const saveNow = useCallback(() => void save(), [save]);
  useSaveHotkey(saveNow, editable);

  const onHit = (hit: ScanHit): ScanOutcome => {
    qc.setQueryData(['products', hit.product.id], hit.product);
    const applied = applyScan(lines as (SLine & { unitId?: null })[], hit, {
      field: 'qty',
      newLine: (h) => ({ key: newKey(), productId: h.product.id, qty: h.baseQty, stockStatus: 'sellable' }) as SLine,
    });
    // Quantities as a person types them ("2", not "2.000").
    const touched = applied.lines[applied.index] as SLine;
    if (touched.qty) applied.lines[applied.index] = { ...touched, qty: dec(touched.qty).toFixed() };
    setLines(applied.lines);
    setDirty(true);
    const line = applied.lines[applied.index] as SLine;
    setFlash((f) => ({ key: line.key, n: (f?.n ?? 0) + 1 }));
    requestAnimationFrame(() =>
      grid.current?.querySelector(`[data-row-key="${line.key}"]`)?.scrollIntoView({ block: 'nearest' }),
    );
    return {
      ok: true,
      message: t('line.scanCount', { product: `${hit.product.code} ${hit.product.name}`, qty: fmtDecimal(line.qty) }),
    };
  };

  const addProduct = (pid: number | undefined) => {
    if (typeof pid !== 'number') return;
    const key = newKey();
    setLines((ls) => [...ls, { key, productId: pid, stockStatus: 'sellable' }]);
    setDirty(true);
    setAddKey((n) => n + 1);
    setTimeout(() => grid.current?.querySelector<HTMLInputElement>(`[data-cell="qty-${key}"]`)?.focus(), 60);
  };

  const costByLine = useMemo(() => new Map((costs.data?.lines ?? []).map((c) => [c.lineId, c])), [costs.data]);

  if (id !== undefined && !d) return <DocLoading query={doc} back={k.base} />;

  const whName = (wid: number | null | undefined) => {
    const w = warehouses.data?.find((x) => x.id === wid) ?? costs.data?.warehouses.find((x) => x.id === wid);
    return w ? `${w.code} ${w.name}` : wid ? `#${wid}` : '';
  };
  const shelfName = (sid: number | null | undefined) => {
    const sh = costs.data?.shelves.find((x) => x.id === sid);
    return sh ? `${sh.code} ${sh.name}` : sid ? `#${sid}` : '';
  };
  const reasonName = (rid: number | undefined) => {
    const r = reasonCodes.data?.items.find((x) => x.id === rid);
    return r ? `${label(r)} (${r.code})` : rid ? `#${rid}` : '';
  };
  const lineIdOf = (l: SLine) => (l.key.startsWith('l') ? Number(l.key.slice(1)) : undefined);

  const columns: ColumnsType<SLine> = [
    { title: t('line.no'), key: 'no', width: 44, align: 'right', fixed: 'left', render: (_: unknown, _l, i) => i + 1 },
    {
      title: t('line.product'),
      key: 'product',
      width: 220,
      fixed: 'left',
      render: (_: unknown, l) => (
        <div className="inv-product">{l.productId ? (products.get(l.productId) ?? `#${l.productId}`) : ''}</div>
      ),
    },
    {
      title: t('line.qty'),
      key: 'qty',
      width: 100,
      align: 'right',
      render: (_: unknown, l) =>
        editable ? (
          <Input
            size="small"
            value={l.qty ?? ''}
            onChange={(e) => patchLine(l.key, { qty: e.target.value })}
            style={{ width: 88, textAlign: 'right' }}
            inputMode="decimal"
            data-cell={`qty-${l.key}`}
            status={
              (tried || (l.qty ?? '') !== '') && (!QTY_RE.test((l.qty ?? '').trim()) || dec(l.qty || '0').isZero())
                ? 'error'
                : undefined
            }
          />
        ) : (
          <span className="inv-num">{fmtDecimal(l.qty)}</span>
        ),
    },
  ];
  if (k.picksStock && editable) {
    columns.push({
      title: t('line.pickStock'),
      key: 'pick',
      width: 200,
      render: (_: unknown, l) =>
        editable ? (
          <StockKeyPicker
            warehouseId={header.warehouseId}
            productId={l.productId}
            line={l}
            onPick={(r) =>
              patchLine(l.key, {
                batchNo: r.batchNo ?? undefined,
                lotNo: r.lotNo ?? undefined,
                expiryDate: r.expiryDate,
                shelfId: r.shelfId,
                stockStatus: r.status ?? 'sellable',
              })
            }
          />
        ) : null,
    });
  }
  columns.push(
    {
      title: t('line.batch'),
      key: 'batch',
      width: 110,
      render: (_: unknown, l) =>
        editable ? (
          <Input
            size="small"
            value={l.batchNo ?? ''}
            onChange={(e) => patchLine(l.key, { batchNo: e.target.value })}
            maxLength={50}
            data-cell={`batch-${l.key}`}
          />
        ) : (
          l.batchNo
        ),
    },
    {
      title: t('line.lot'),
      key: 'lot',
      width: 96,
      render: (_: unknown, l) =>
        editable ? (
          <Input
            size="small"
            value={l.lotNo ?? ''}
            onChange={(e) => patchLine(l.key, { lotNo: e.target.value })}
            maxLength={50}
            data-cell={`lot-${l.key}`}
          />
        ) : (
          l.lotNo
        ),
    },
  );
  if (k.inbound) {
    columns.push({
      title: t('line.expiry'),
      key: 'expiry',
      width: 130,
      render: (_: unknown, l) =>
        editable ? (
          <DateField
            size="small"
            value={l.expiryDate ?? null}
            onChange={(v) => patchLine(l.key, { expiryDate: v })}
            style={{ width: 120 }}
          />
        ) : (
          fmtDate(l.expiryDate)
        ),
    });
  }
  columns.push(
    {
      title: t('line.shelf'),
      key: 'shelf',
      width: 130,
      render: (_: unknown, l) =>
        editable ? (
          <ShelfSelect
            size="small"
            warehouseId={header.warehouseId}
            value={l.shelfId ?? null}
            onChange={(v) => patchLine(l.key, { shelfId: v ?? null })}
            style={{ width: 120 }}
          />
        ) : (
          shelfName(l.shelfId)
        ),
    },
    {
      title: t('line.status'),
      key: 'status',
      width: 100,
      render: (_: unknown, l) =>
        editable ? (
          <StockStatusSelect
            size="small"
            value={l.stockStatus ?? 'sellable'}
            onChange={(v) => patchLine(l.key, { stockStatus: v })}
          />
        ) : (
          statusLabel(l.stockStatus)
        ),
    },
  );
  if (k.adjusts) {
    columns.push({
      title: t('line.to'),
      key: 'to',
      children: [
        {
          title: t('line.toBatch'),
          key: 'toBatch',
          width: 120,
          render: (_: unknown, l: SLine) =>
            editable ? (
              <Input
                size="small"
                value={l.toBatchNo ?? l.batchNo ?? ''}
                onChange={(e) => patchLine(l.key, { toBatchNo: e.target.value })}
              />
            ) : (
              (l.toBatchNo ?? '')
            ),
        },
        {
          title: t('line.toLot'),
          key: 'toLot',
          width: 110,
          render: (_: unknown, l: SLine) =>
            editable ? (
              <Input
                size="small"
                value={l.toLotNo ?? l.lotNo ?? ''}
                onChange={(e) => patchLine(l.key, { toLotNo: e.target.value })}
              />
            ) : (
              (l.toLotNo ?? '')
            ),
        },
        {
          title: t('line.toShelf'),
          key: 'toShelf',
          width: 130,
          render: (_: unknown, l: SLine) =>
            editable ? (
              <ShelfSelect
                size="small"
                warehouseId={header.warehouseId}
                value={l.toShelfId === undefined ? (l.shelfId ?? null) : l.toShelfId}
                onChange={(v) => patchLine(l.key, { toShelfId: v ?? null })}
                style={{ width: 120 }}
              />
            ) : l.toShelfId !== undefined ? (
              shelfName(l.toShelfId)
            ) : null,
        },
        {
          title: t('line.toStatus'),
          key: 'toStatus',
          width: 100,
          render: (_: unknown, l: SLine) =>
            editable ? (
              <StockStatusSelect
                size="small"
                value={l.toStatus ?? l.stockStatus ?? 'sellable'}
                onChange={(v) => patchLine(l.key, { toStatus: v })}
              />
            ) : (
              statusLabel(l.toStatus)
            ),
        },
      ],
    } as never);
  }
  if (k.moves) {
    columns.push({
      title: t('line.toShelfMove'),
      key: 'toShelfMove',
      width: 130,
      render: (_: unknown, l) =>
        editable ? (
          <ShelfSelect
            size="small"
            warehouseId={header.toWarehouseId}
            value={l.toShelfId ?? null}
            onChange={(v) => patchLine(l.key, { toShelfId: v ?? null })}
            style={{ width: 120 }}
          />
        ) : (
          shelfName(l.toShelfId)
        ),
    });
  }
  if (k.costMode) {
    columns.push({
      title: t('doc.costMode'),
      key: 'costMode',
      width: 110,
      render: (_: unknown, l) =>
        editable ? (
          <Select
            size="small"
            style={{ width: 100 }}
            value={l.costMode ?? header.costMode}
            onChange={(v) => patchLine(l.key, { costMode: v })}
            options={[
              { value: 'auto', label: t('doc.cost.auto').split('（')[0]!.split(' (')[0] },
              { value: 'manual', label: t('doc.cost.manual') },
            ]}
          />
        ) : (
          t(`doc.cost.${l.costMode ?? header.costMode}` as 'doc.cost.auto')
            .split('（')[0]!
            .split(' (')[0]
        ),
    });
  }
  columns.push({
    title: t('line.cost'),
    key: 'cost',
    width: 110,
    align: 'right',
    render: (_: unknown, l) => {
      const manual = k.costMode ? (l.costMode ?? header.costMode) === 'manual' : k.inbound;
      if (editable && manual)
        return (
          <Input
            size="small"
            value={l.unitPrice ?? ''}
            onChange={(e) => patchLine(l.key, { unitPrice: e.target.value })}
            style={{ width: 96, textAlign: 'right' }}
            inputMode="decimal"
            data-cell={`cost-${l.key}`}
          />
        );
      const c = lineIdOf(l) !== undefined ? costByLine.get(lineIdOf(l)!) : undefined;
      return c ? (
        <Tooltip title={t(`line.basis.${c.basis}` as 'line.basis.batch')}>
          <span className="inv-num">{fmtDecimal(c.unitCost, 2)}</span>
        </Tooltip>
      ) : null;
    },
  });
  columns.push({
    title: t('line.amount'),
    key: 'amount',
    width: 100,
    align: 'right',
    render: (_: unknown, l) => {
      const c = lineIdOf(l) !== undefined && !dirty ? costByLine.get(lineIdOf(l)!) : undefined;
      return c ? <span className="inv-num">{fmtMoney(dec(c.amount).abs().toFixed(2))}</span> : null;
    },
  });
  columns.push({
    title: t('doc.reason'),
    key: 'reason',
    width: 140,
    render: (_: unknown, l) =>
      editable ? (
        <Input
          size="small"
          value={l.reason ?? ''}
          onChange={(e) => patchLine(l.key, { reason: e.target.value })}
          maxLength={200}
        />
      ) : (
        l.reason
      ),
  });
  if (editable) {
    columns.push({
      title: '',
      key: 'remove',
      width: 40,
      fixed: 'right',
      render: (_: unknown, l) => (
        <Button
          size="small"
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label={t('line.remove')}
          onClick={() => {
            setLines((ls) => ls.filter((x) => x.key !== l.key));
            setDirty(true);
          }}
        />
      ),
    });
  }

  const title = d ? (
    <Space>
      <span data-testid="doc-number">{d.number}</span>
      <Tag>{t(k.one)}</Tag>
      <DocStatusTag status={d.status} />
    </Space>
  ) : (
    t(k.fresh)
  );

  return (
    <div>
      <PageHeader
        title={title}
        extra={
          <Space wrap>
            <Button onClick={() => navigate(k.base)}>{t('common.back')}</Button>
            {editable && (
              <Button
                icon={<SaveOutlined />}
                type={d ? 'default' : 'primary'}
                loading={saving}
                onClick={saveNow}
                data-testid="doc-save"
              >
                {t('common.save')}
              </Button>
            )}
            {d && (
              <DocActions
                doc={d}
                before={async () => (dirty && editable ? save() : true)}
                onDone={() => qc.invalidateQueries({ queryKey: ['documents', id] })}
              />
            )}
            {d && <HistoryLink id={d.id} />}
          </Space>
        }
      />
      {d && <RejectNote status={d.status} comment={d.rejectComment} />}
      <FormError error={error} onClose={() => setError(null)} />
      <Card size="small" className="inv-doc-header">
        {editable ? (
          <Space wrap size={[16, 8]} align="center">
            <Field label={t('doc.org')} required>
              <OrgSelect
                kinds={STOCK_ORGS}
                allowClear={false}
                style={{ width: 200 }}
                value={header.orgId}
                disabled={id !== undefined}
                onChange={(v) => patchHeader({ orgId: v as number, warehouseId: undefined, toWarehouseId: undefined })}
                data-testid="doc-org"
              />
            </Field>
            <Field label={t('doc.warehouse')} required>
              <WarehouseSelect
                orgId={header.orgId}
                allowClear={false}
                style={{ width: 170 }}
                value={header.warehouseId}
                onChange={(v) => patchHeader({ warehouseId: v as number })}
              />
            </Field>
            {k.moves && (
              <Field label={t('doc.toWarehouse')} required>
                <WarehouseSelect
                  orgId={header.orgId}
                  style={{ width: 170 }}
                  value={header.toWarehouseId}
                  onChange={(v) => patchHeader({ toWarehouseId: v as number })}
                  data-testid="doc-to-warehouse"
                />
              </Field>
            )}
            {k.costMode && (
              <Field label={t('doc.costMode')}>
                <Select
                  style={{ width: 220 }}
                  value={header.costMode}
                  onChange={(v) => patchHeader({ costMode: v })}
                  options={[
                    { value: 'auto', label: t('doc.cost.auto') },
                    { value: 'manual', label: t('doc.cost.manual') },
                  ]}
                />
              </Field>
            )}
            {can('reason_code:view') && (
              <Field label={t('doc.reasonCode')}>
                <ReasonCodeSelect
                  usages={k.reasonUsages}
                  style={{ width: 180 }}
                  value={header.reasonCodeId}
                  onChange={(v) => patchHeader({ reasonCodeId: v ?? undefined })}
                />
              </Field>
            )}
            <Field label={t('doc.reason')}>
              <Input
                style={{ width: 200 }}
                maxLength={200}
                value={header.reason ?? ''}
                onChange={(e) => patchHeader({ reason: e.target.value })}
                data-testid="doc-reason"
              />
            </Field>
            <Field label={t('common.remarks')}>
              <Input
                style={{ width: 240 }}
                maxLength={1000}
                value={header.remarks ?? ''}
                onChange={(e) => patchHeader({ remarks: e.target.value })}
              />
            </Field>
          </Space>
        ) : d ? (
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
            <Descriptions.Item label={t('doc.org')}>{orgLabel(d.orgId)}</Descriptions.Item>
            <Descriptions.Item label={t('doc.warehouse')}>{whName(d.warehouseId)}</Descriptions.Item>
            {k.moves && <Descriptions.Item label={t('doc.toWarehouse')}>{whName(header.toWarehouseId)}</Descriptions.Item>}
            <Descriptions.Item label={t('doc.businessDate')}>{fmtDate(d.businessDate)}</Descriptions.Item>
            {k.costMode && <Descriptions.Item label={t('doc.costMode')}>{t(`doc.cost.${header.costMode}`)}</Descriptions.Item>}
            {header.reasonCodeId !== undefined && (
              <Descriptions.Item label={t('doc.reasonCode')}>{reasonName(header.reasonCodeId)}</Descriptions.Item>
            )}
            {header.reason && <Descriptions.Item label={t('doc.reason')}>{header.reason}</Descriptions.Item>}
            {d.refDocumentId && (
              <Descriptions.Item label={t('doc.ref')}>
                <RefLink id={d.refDocumentId} />
              </Descriptions.Item>
            )}
            <Descriptions.Item label={costs.data?.posted ? t('doc.valuePosted') : t('doc.value')}>
              <span data-testid="doc-value">¥{fmtMoney(costs.data ? dec(costs.data.total).abs().toFixed(2) : '0')}</span>
            </Descriptions.Item>
            {d.postedAt && <Descriptions.Item label={t('doc.postedAt')}>{fmtDateTime(d.postedAt)}</Descriptions.Item>}
            {d.remarks && <Descriptions.Item label={t('common.remarks')}>{d.remarks}</Descriptions.Item>}
          </Descriptions>
        ) : null}
      </Card>
      <Card size="small" className="inv-lines" title={t('doc.lines')}>
        {editable && (
          <div className="inv-lines-toolbar">
            <ScanBox onHit={onHit} orgId={header.orgId} autoFocus={id === undefined} />
            <ProductSelect
              key={addKey}
              placeholder={t('line.addHint')}
              value={undefined}
              onChange={(v) => addProduct(v)}
              style={{ width: 300 }}
              data-testid="line-add"
            />
          </div>
        )}
        {d && !costs.data?.posted && !!costs.data?.lines.length && (
          <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 6 }}>
            {t('doc.estimated')}
          </Typography.Text>
        )}
        <fieldset ref={grid} className="inv-grid" onKeyDown={(e: KeyboardEvent<HTMLFieldSetElement>) => gridKeys(e)}>
          <Table<SLine>
            size="small"
            bordered
            rowKey="key"
            columns={columns}
            dataSource={lines}
            pagination={false}
            scroll={{ x: 'max-content', y: 520 }}
            rowClassName={(l) => (flash?.key === l.key ? `inv-row-flash inv-flash-${flash.n % 2}` : '')}
            data-testid="doc-lines"
          />
        </fieldset>
        {editable && dirty && <Alert type="warning" showIcon title={t('doc.unsaved')} style={{ marginTop: 8 }} />}
      </Card>
    </div>
  );
}

function Field({ label, required, children }: { label: string; required?: boolean; children: ReactNode }) {
  return (
    <div className="ant-form-item" style={{ display: 'flex', alignItems: 'center', gap: 6, marginBottom: 0 }}>
      <span>
        {required ? <span style={{ color: '#ff4d4f', marginInlineEnd: 2 }}>*</span> : null}
        {label}
      </span>
      {children}
    </div>
  );
}

function RefLink({ id }: { id: number }) {
  const ref = useQuery({
    queryKey: ['documents', id, 'ref'],
    queryFn: () => api.get<DocumentWithLines>(`/api/documents/${id}`),
    staleTime: 60_000,
  });
  return <Link to={pathOfDoc(ref.data?.docType ?? '', id)}>{ref.data?.number ?? `#${id}`}</Link>;
}

/** Picks the stock a line takes (batch, lot, shelf, status) from what the warehouse holds of the product. */
function StockKeyPicker({
  warehouseId,
  productId,
  line,
  onPick,
}: {
  warehouseId: number | undefined;
  productId: number | undefined;
  line: SLine;
  onPick: (r: StockBalanceRow) => void;
}) {
  const t = useT(m);
  const status = useStatusLabel();
  const [open, setOpen] = useState(false);
  const q = useStockKeys(warehouseId, productId, open);
  const keyOf = (r: { batchNo?: string | null; lotNo?: string | null; shelfId?: number | null; status?: string | null }) =>
    `${r.batchNo ?? ''}|${r.lotNo ?? ''}|${r.shelfId ?? 0}|${r.status ?? 'sellable'}`;
  const rows = q.data?.items ?? [];
  const current = keyOf({ batchNo: line.batchNo, lotNo: line.lotNo, shelfId: line.shelfId, status: line.stockStatus });
  return (
    <Select
      size="small"
      style={{ width: 190 }}
      placeholder={t('line.pickStockHint')}
      open={open}
      onOpenChange={setOpen}
      loading={q.isFetching}
      disabled={!warehouseId || !productId}
      value={rows.some((r) => keyOf(r) === current) ? current : undefined}
      popupMatchSelectWidth={360}
      onChange={(v) => {
        const r = rows.find((x) => keyOf(x) === v);
        if (r) onPick(r);
      }}
      options={rows.map((r) => ({
        value: keyOf(r),
        label: [
          r.batchNo || r.lotNo ? `${r.batchNo ?? ''}${r.lotNo ? `/${r.lotNo}` : ''}` : null,
          r.shelfCode,
          status(r.status),
          fmtDecimal(r.qty),
        ]
          .filter(Boolean)
          .join(' · '),
      }))}
      data-testid="line-pick-stock"
    />
  );
}

/** One page component per document type (the routes load them by name). */
export const pages = {
  loss: () => <StockDocPage kind="loss" />,
  overage: () => <StockDocPage kind="overage" />,
  other_inbound: () => <StockDocPage kind="other_inbound" />,
  other_outbound: () => <StockDocPage kind="other_outbound" />,
  internal_adjustment: () => <StockDocPage kind="internal_adjustment" />,
  warehouse_move: () => <StockDocPage kind="warehouse_move" />,
} satisfies Record<StockDocKind, () => ReactNode>;
