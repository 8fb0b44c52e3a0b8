import { CalculatorOutlined, FileDoneOutlined, PrinterOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import { dec, qty, type StocktakeCountCommand } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Input, Progress, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type KeyboardEvent, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, fullError } from '../../shared/api';
import { DocStatusTag } from '../../shared/docs';
import { ExportButton } from '../../shared/ExportButton';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { ScanBox, type ScanHit, type ScanOutcome } from '../../shared/scan';
import { gridKeys } from '../../shared/scan/gridNav';
import { useWarehouses } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { DocLoading, HistoryLink, useSaveHotkey } from '../documents/DocParts';
import { fetchAllStocktakeLines, type StocktakeLineDto, type StocktakeVariance, useStocktake } from './api';
import { useStatusLabel } from './common';
import { m } from './messages';

type LineState = 'all' | 'counted' | 'uncounted' | 'variance';

/** Goods found that are not on the sheet, waiting to be saved (blind/manual entry). */
interface Extra {
  key: string;
  productId: number;
  productCode: string;
  productName: string;
  unitName: string | null;
  countedQty: string;
}

const COUNT_RE = /^\d+(\.\d{1,3})?$/;
const PAGE = 100;

/**
 * 盘点单: count entry (from the sheet or blind) with scanning — each scan adds the scanned quantity to the
 * product's line, typed counts go down the column with Enter —, saving counts, posting (surplus and shortage
 * shown apart), unposting, and generating the loss/overage documents (after which unposting is refused).
 */
export default function StocktakePage() {
  const t = useT(m);
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const orgLabel = useOrgLabel();
  const statusLabel = useStatusLabel();
  const st = useStocktake(id);
  const s = st.data;
  const lines = useQuery({
    queryKey: ['stocktake', id, 'lines', s?.version, s?.status],
    queryFn: ({ signal }) => fetchAllStocktakeLines(id, signal),
    enabled: !!s,
    placeholderData: (prev) => prev,
  });
  const revealed = s?.status === 'posted' || s?.status === 'completed';
  const variance = useQuery({
    queryKey: ['stocktake', id, 'variance', s?.status, s?.version],
    queryFn: () => api.get<StocktakeVariance>(`/api/stocktakes/${id}/variance`),
    enabled: !!s && revealed,
  });
  const warehouses = useWarehouses(s?.orgId, !!s && can('warehouse:view'));

  // Typed counts live in a ref (a keystroke re-renders only its cell, so a scanner's burst into a cell stays a
  // burst even on a slow till PC); the page re-renders shortly after typing stops, or at once after a scan.
  const editsRef = useRef<Map<number, string>>(new Map());
  const edits = editsRef.current;
  const [editsVersion, setEditsVersion] = useState(0);
  const [scanNonce, setScanNonce] = useState<Map<number, number>>(new Map());
  const bumpTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const bump = useCallback((later = false) => {
    if (bumpTimer.current) clearTimeout(bumpTimer.current);
    if (later) bumpTimer.current = setTimeout(() => setEditsVersion((v) => v + 1), 300);
    else setEditsVersion((v) => v + 1);
  }, []);
  const onEdit = useCallback(
    (lineId: number, value: string) => {
      editsRef.current.set(lineId, value);
      bump(true);
    },
    [bump],
  );
  const [extras, setExtras] = useState<Extra[]>([]);
  const [state, setState] = useState<LineState>('all');
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(1);
  const [flash, setFlash] = useState<{ id: number | string; n: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const grid = useRef<HTMLFieldSetElement>(null);

  const counting = !!s && (s.status === 'draft' || s.status === 'rejected') && can('doc.stocktake:edit');
  const pending = edits.size + extras.length;
  const all = lines.data ?? [];
  const counted = (l: StocktakeLineDto) => (edits.has(l.id) ? edits.get(l.id) || null : l.countedQty);

  // biome-ignore lint/correctness/useExhaustiveDependencies: edits is a ref; editsVersion says when it changed
  const visible = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return all.filter((l) => {
      const c = edits.has(l.id) ? edits.get(l.id) || null : l.countedQty;
      if (state === 'counted' && c === null) return false;
      if (state === 'uncounted' && c !== null) return false;
      if (state === 'variance' && !(l.varianceQty && !dec(l.varianceQty).isZero())) return false;
      if (f && !`${l.productCode} ${l.productName} ${l.shelfCode ?? ''}`.toLowerCase().includes(f)) return false;
      return true;
    });
  }, [all, edits, editsVersion, state, filter]);

  const countedLines = all.filter((l) => counted(l) !== null).length + extras.length;

  const refresh = useCallback(async () => {
    await qc.invalidateQueries({ queryKey: ['stocktake', id] });
    await qc.invalidateQueries({ queryKey: ['list'] });
  }, [qc, id]);

  const saveCounts = useCallback(async (): Promise<boolean> => {
    const edits = editsRef.current;
    if (!edits.size && !extras.length) return true;
    const bad = [...edits.entries()].find(([, v]) => v !== '' && !COUNT_RE.test(v.trim()));
    if (bad) {
      const l = all.find((x) => x.id === bad[0]);
      setFailure(`${t('line.no')} ${l?.lineNo ?? ''} ${l?.productCode ?? ''}: ${bad[1]}`);
      return false;
    }
    const body: StocktakeCountCommand = {
      lines: [...edits.entries()].map(([lineId, v]) => ({ lineId, countedQty: v.trim() === '' ? null : v.trim() })),
      extra: extras.map((e) => ({ productId: e.productId, countedQty: e.countedQty })),
    };
    setBusy('save');
    setFailure(null);
    try {
      const r = await api.post<{ updated: number; added: number }>(`/api/stocktakes/${id}/counts`, body);
      await refresh();
      editsRef.current = new Map();
      bump();
      setExtras([]);
      message.success(t('st.countsSaved', { n: r.updated + r.added }));
      return true;
    } catch (e) {
      setFailure(fullError(e));
      return false;
    } finally {
      setBusy(null);
    }
  }, [extras, all, id, message, t, refresh, bump]);
  const saveNow = useCallback(() => void saveCounts(), [saveCounts]);
  useSaveHotkey(saveNow, counting);

  const act = async (name: string, url: string, body: unknown, done: string) => {
    setBusy(name);
    setFailure(null);
    try {
      await api.post(url, body);
      message.success(done);
      await refresh();
    } catch (e) {
      const text = fullError(e);
      setFailure(text);
      message.error({ content: text, duration: 8 });
    } finally {
      setBusy(null);
    }
  };

  const post = () => {
    if (!s) return;
    const uncounted = all.filter((l) => counted(l) === null).length;
    modal.confirm({
      title: t('st.post'),
      content: t('st.postConfirm', {
        n: uncounted,
        policy: t(s.uncountedAs === 'zero' ? 'st.uncounted.zero' : 'st.uncounted.book'),
      }),
      okButtonProps: { 'data-testid': 'confirm-ok' } as never,
      onOk: async () => {
        if (!(await saveCounts())) return;
        await act('post', `/api/stocktakes/${id}/post`, undefined, t('st.posted', { number: s.number }));
      },
    });
  };
  const unpost = () => {
    if (!s) return;
    modal.confirm({
      title: t('st.unpost'),
      content: t('st.unpostConfirm', { number: s.number }),
      okButtonProps: { 'data-testid': 'confirm-ok' } as never,
      onOk: () => act('unpost', `/api/stocktakes/${id}/unpost`, {}, t('st.unposted', { number: s.number })),
    });
  };
  const generate = () => {
    if (!s) return;
    modal.confirm({
      title: t('st.generate'),
      content: t('st.generateConfirm'),
      okButtonProps: { 'data-testid': 'confirm-ok' } as never,
      onOk: () => act('generate', `/api/stocktakes/${id}/generate`, undefined, t('st.generated')),
    });
  };

  /** A scan adds its quantity to the product's first sheet line (the one on the filtered shelf first). */
  const onHit = (hit: ScanHit): ScanOutcome => {
    const product = `${hit.product.code} ${hit.product.name}`;
    const candidates = all.filter((l) => l.productId === hit.product.id);
    const line = candidates.find((l) => visible.includes(l)) ?? candidates[0];
    if (line) {
      const now = qty(dec(counted(line) ?? 0).plus(hit.baseQty));
      editsRef.current.set(line.id, dec(now).toFixed());
      setScanNonce((n) => new Map(n).set(line.id, (n.get(line.id) ?? 0) + 1));
      bump();
      setFlash((f) => ({ id: line.id, n: (f?.n ?? 0) + 1 }));
      let index = visible.indexOf(line);
      if (index < 0) {
        setState('all');
        setFilter('');
        index = all.indexOf(line);
      }
      setPage(Math.floor(index / PAGE) + 1);
      requestAnimationFrame(() =>
        grid.current?.querySelector(`[data-row-key="${line.id}"]`)?.scrollIntoView({ block: 'nearest' }),
      );
      return { ok: true, message: t('line.scanCount', { product, qty: fmtDecimal(now) }) };
    }
    // Goods not on the sheet: a manual line (blind count finds what the book does not know).
    const existing = extras.find((e) => e.productId === hit.product.id);
    const next = qty(dec(existing?.countedQty ?? 0).plus(hit.baseQty));
    const key = existing?.key ?? `x${hit.product.id}`;
    setExtras((xs) =>
      existing
        ? xs.map((x) => (x.key === key ? { ...x, countedQty: next } : x))
        : [
            ...xs,
            {
              key,
              productId: hit.product.id,
              productCode: hit.product.code,
              productName: hit.product.name,
              unitName: hit.product.baseUnitName ?? null,
              countedQty: next,
            },
          ],
    );
    setFlash((f) => ({ id: key, n: (f?.n ?? 0) + 1 }));
    return { ok: true, message: t('st.blindAdd', { product: `${product} ${fmtDecimal(next)}` }) };
  };

  if (!s) return <DocLoading query={st} back="/inventory/stocktakes" />;

  const whName = (wid: number | null) => {
    if (wid === null) return t('st.allWarehouses');
    const w = warehouses.data?.find((x) => x.id === wid);
    return w ? `${w.code} ${w.name}` : `#${wid}`;
  };
  const showBook = s.entryMode === 'sheet' || revealed;
  const varianceCell = (v: string | null) => {
    if (v === null) return null;
    const d = dec(v);
    if (d.isZero()) return <span className="inv-num">0</span>;
    return (
      <span className={`inv-num ${d.greaterThan(0) ? 'inv-surplus' : 'inv-shortage'}`}>
        {d.greaterThan(0) ? '+' : ''}
        {fmtDecimal(v)}
      </span>
    );
  };

  const hasBatch = all.some((l) => l.batchNo || l.lotNo);
  const hasExpiry = all.some((l) => l.expiryDate);
  const hasStatus = all.some((l) => l.status !== 'sellable');
  const columns: ColumnsType<StocktakeLineDto> = [
    { title: t('line.no'), dataIndex: 'lineNo', width: 50, align: 'right' },
    {
      title: t('line.shelf'),
      key: 'shelf',
      width: 90,
      render: (_: unknown, l) => l.shelfCode ?? '',
    },
    {
      title: t('line.product'),
      key: 'product',
      width: 240,
      render: (_: unknown, l) => (
        <div className="inv-product">
          <div>
            {l.productCode} {l.productName}
            {l.origin === 'blind' ? (
              <Tag color="purple" style={{ marginInlineStart: 4 }}>
                {t('st.extraLine')}
              </Tag>
            ) : null}
          </div>
          {l.productSpec ? <Typography.Text type="secondary">{l.productSpec}</Typography.Text> : null}
        </div>
      ),
    },
    { title: t('line.unit'), dataIndex: 'unitName', width: 56 },
    // Batch, expiry and status only when some line has them: the counts stay on screen.
    ...(hasBatch
      ? [
          {
            title: `${t('line.batch')} / ${t('line.lot')}`,
            key: 'batch',
            width: 140,
            render: (_: unknown, l: StocktakeLineDto) => [l.batchNo, l.lotNo].filter(Boolean).join(' / '),
          },
        ]
      : []),
    ...(hasExpiry ? [{ title: t('line.expiry'), dataIndex: 'expiryDate', width: 96, render: fmtDate }] : []),
    ...(hasStatus ? [{ title: t('line.status'), dataIndex: 'status', width: 70, render: (v: string) => statusLabel(v) }] : []),
    {
      title: t('st.book'),
      dataIndex: 'bookQty',
      width: 90,
      align: 'right',
      render: (v: string | null) => (showBook ? <span className="inv-num">{fmtDecimal(v)}</span> : '—'),
    },
    {
      title: t('st.counted'),
      key: 'counted',
      width: 110,
      align: 'right',
      render: (_: unknown, l) => {
        if (!counting) return <span className="inv-num">{fmtDecimal(l.countedQty)}</span>;
        const v = edits.has(l.id) ? (edits.get(l.id) ?? '') : l.countedQty === null ? '' : dec(l.countedQty).toFixed();
        return (
          <CountCell
            lineId={l.id}
            lineNo={l.lineNo}
            value={v}
            nonce={scanNonce.get(l.id) ?? 0}
            onEdit={onEdit}
            label={`${t('st.counted')} ${l.productCode}`}
          />
        );
      },
    },
  ];
  if (revealed) {
    columns.push(
      {
        title: t('st.moved'),
        dataIndex: 'movedQty',
        width: 90,
        align: 'right',
        render: (v: string | null) => <span className="inv-num">{fmtDecimal(v)}</span>,
      },
      {
        title: t('st.bookAtCount'),
        dataIndex: 'bookAtCount',
        width: 90,
        align: 'right',
        render: (v: string | null) => <span className="inv-num">{fmtDecimal(v)}</span>,
      },
      { title: t('st.variance'), dataIndex: 'varianceQty', width: 90, align: 'right', render: varianceCell },
      {
        title: t('st.varianceAmount'),
        dataIndex: 'varianceAmount',
        width: 100,
        align: 'right',
        render: (v: string | null) => (v === null ? null : <span className="inv-num">{fmtMoney(v)}</span>),
      },
    );
  }

  const totals = variance.data?.totals ?? s.totals;
  const varianceColumns: ColumnsType<StocktakeLineDto> = [
    { title: t('line.no'), dataIndex: 'lineNo', width: 50, align: 'right' },
    { title: t('line.shelf'), dataIndex: 'shelfCode', width: 90 },
    { title: t('line.product'), key: 'p', render: (_: unknown, l) => `${l.productCode} ${l.productName}` },
    {
      title: `${t('line.batch')} / ${t('line.lot')}`,
      key: 'batch',
      width: 140,
      render: (_: unknown, l) => [l.batchNo, l.lotNo].filter(Boolean).join(' / '),
    },
    { title: t('st.bookAtCount'), dataIndex: 'bookAtCount', width: 90, align: 'right', render: (v: string) => fmtDecimal(v) },
    { title: t('st.counted'), dataIndex: 'countedQty', width: 90, align: 'right', render: (v: string) => fmtDecimal(v) },
    { title: t('st.variance'), dataIndex: 'varianceQty', width: 90, align: 'right', render: varianceCell },
    { title: t('line.cost'), dataIndex: 'unitCost', width: 90, align: 'right', render: (v: string) => fmtDecimal(v, 2) },
    {
      title: t('st.varianceAmount'),
      dataIndex: 'varianceAmount',
      width: 100,
      align: 'right',
      render: (v: string) => fmtMoney(v),
    },
  ];

  const canRollback = can('doc.stocktake:rollback');
  return (
    <div>
      <PageHeader
        title={
          <Space>
            <span data-testid="doc-number">{s.number}</span>
            <Tag>{t('page.stocktake')}</Tag>
            <DocStatusTag status={s.status as never} />
          </Space>
        }
        extra={
          <Space wrap>
            <Button onClick={() => navigate('/inventory/stocktakes')}>{t('common.back')}</Button>
            <Link to={`/inventory/stocktakes/${id}/print`}>
              <Button icon={<PrinterOutlined />} data-testid="stocktake-print">
                {t('st.print')}
              </Button>
            </Link>
            <ExportButton url={`/api/stocktakes/${id}/sheet/export`} />
            {counting && (
              <Button
                icon={<SaveOutlined />}
                onClick={saveNow}
                loading={busy === 'save'}
                disabled={!pending}
                data-testid="stocktake-save"
              >
                {t('st.saveCounts')}
                {pending ? ` (${pending})` : ''}
              </Button>
            )}
            {counting && can('doc.stocktake:post') && (
              <Button
                type="primary"
                icon={<CalculatorOutlined />}
                onClick={post}
                loading={busy === 'post'}
                data-testid="stocktake-post"
              >
                {t('st.post')}
              </Button>
            )}
            {s.status === 'posted' && can('doc.stocktake:complete') && (
              <Button
                type="primary"
                icon={<FileDoneOutlined />}
                onClick={generate}
                loading={busy === 'generate'}
                data-testid="stocktake-generate"
              >
                {t('st.generate')}
              </Button>
            )}
            {revealed && canRollback && (
              <Button icon={<RollbackOutlined />} onClick={unpost} loading={busy === 'unpost'} data-testid="stocktake-unpost">
                {t('st.unpost')}
              </Button>
            )}
            <HistoryLink id={s.id} />
          </Space>
        }
      />
      {failure && (
        <Alert
          type="error"
          showIcon
          title={failure}
          closable={{ onClose: () => setFailure(null) }}
          style={{ marginBottom: 12 }}
          data-testid="stocktake-error"
        />
      )}
      <Card size="small" className="inv-doc-header">
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label={t('doc.org')}>{orgLabel(s.orgId)}</Descriptions.Item>
          <Descriptions.Item label={t('doc.warehouse')}>{whName(s.warehouseId)}</Descriptions.Item>
          <Descriptions.Item label={t('st.mode')}>
            {t(`st.mode.${s.mode}`)}
            {s.since ? ` ${fmtDate(s.since)}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('st.scopeOf')}>
            <ScopeText counterId={s.counterId} shelfId={s.shelfId} orgId={s.orgId} lines={all} />
          </Descriptions.Item>
          <Descriptions.Item label={t('st.entryMode')}>{t(`st.entry.${s.entryMode}`)}</Descriptions.Item>
          <Descriptions.Item label={t('st.uncountedAs')}>{t(`st.uncounted.${s.uncountedAs}`)}</Descriptions.Item>
          <Descriptions.Item label={t('st.snapshotAt')}>{fmtDateTime(s.snapshotAt)}</Descriptions.Item>
          <Descriptions.Item label={t('doc.businessDate')}>{fmtDate(s.businessDate)}</Descriptions.Item>
          <Descriptions.Item label={t('st.progressCol')}>
            <Space>
              <Progress
                percent={s.lines ? Math.round((countedLines / Math.max(s.lines, 1)) * 100) : 0}
                size="small"
                style={{ width: 120, margin: 0 }}
                showInfo={false}
              />
              <span data-testid="stocktake-progress">
                {t('st.progress', { counted: countedLines, lines: s.lines + extras.length })}
              </span>
            </Space>
          </Descriptions.Item>
          {s.generatedDocuments.length > 0 && (
            <Descriptions.Item label={t('st.generatedDocs')} span={2}>
              <Space wrap data-testid="stocktake-generated">
                {s.generatedDocuments.map((g) => (
                  <Link key={g.id} to={`/inventory/${g.docType === 'loss' ? 'losses' : 'overages'}/${g.id}`}>
                    {g.number} <DocStatusTag status={g.status as never} />
                  </Link>
                ))}
              </Space>
            </Descriptions.Item>
          )}
          {s.remarks && <Descriptions.Item label={t('common.remarks')}>{s.remarks}</Descriptions.Item>}
        </Descriptions>
      </Card>

      {revealed && totals && (
        <Card
          size="small"
          className="inv-lines"
          title={t('st.variance')}
          extra={<ExportButton url={`/api/stocktakes/${id}/variance/export`} />}
        >
          <div className="inv-totals">
            <Alert
              type="success"
              showIcon
              title={
                <span data-testid="stocktake-surplus">
                  {t('st.surplusTotal', {
                    lines: totals.surplusLines,
                    qty: fmtDecimal(totals.surplusQty),
                    amount: fmtMoney(totals.surplusAmount),
                  })}
                </span>
              }
            />
            <Alert
              type="error"
              showIcon
              title={
                <span data-testid="stocktake-shortage">
                  {t('st.shortageTotal', {
                    lines: totals.shortageLines,
                    qty: fmtDecimal(totals.shortageQty),
                    amount: fmtMoney(totals.shortageAmount),
                  })}
                </span>
              }
            />
          </div>
          <Tabs
            size="small"
            items={[
              {
                key: 'surplus',
                label: `${t('st.surplus')} (${variance.data?.surplus.length ?? totals.surplusLines})`,
                children: (
                  <Table<StocktakeLineDto>
                    size="small"
                    bordered
                    rowKey="id"
                    columns={varianceColumns}
                    dataSource={variance.data?.surplus ?? []}
                    loading={variance.isFetching}
                    pagination={false}
                    locale={{ emptyText: t('st.noSurplus') }}
                    data-testid="variance-surplus"
                  />
                ),
              },
              {
                key: 'shortage',
                label: `${t('st.shortage')} (${variance.data?.shortage.length ?? totals.shortageLines})`,
                children: (
                  <Table<StocktakeLineDto>
                    size="small"
                    bordered
                    rowKey="id"
                    columns={varianceColumns}
                    dataSource={variance.data?.shortage ?? []}
                    loading={variance.isFetching}
                    pagination={false}
                    locale={{ emptyText: t('st.noShortage') }}
                    data-testid="variance-shortage"
                  />
                ),
              },
            ]}
          />
        </Card>
      )}

      <Card size="small" className="inv-lines" title={t('doc.lines')}>
        <div className="inv-lines-toolbar">
          {counting && <ScanBox onHit={onHit} orgId={s.orgId} />}
          <Segmented<LineState>
            value={state}
            onChange={(v) => {
              setState(v);
              setPage(1);
            }}
            options={(['all', 'counted', 'uncounted', ...(revealed ? (['variance'] as const) : [])] as LineState[]).map((k) => ({
              value: k,
              label: t(`st.state.${k}`),
            }))}
          />
          <Input.Search
            allowClear
            placeholder={t('st.filter')}
            style={{ width: 220 }}
            onSearch={(v) => {
              setFilter(v);
              setPage(1);
            }}
            onChange={(e) => {
              if (!e.target.value) setFilter('');
            }}
          />
          {counting && <Typography.Text type="secondary">{t('st.countHint')}</Typography.Text>}
        </div>
        {extras.length > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 8 }}
            title={extras.map((e) => `${e.productCode} ${e.productName} ×${fmtDecimal(e.countedQty)}`).join('；')}
            description={t('st.extraLine')}
          />
        )}
        <fieldset ref={grid} className="inv-grid" onKeyDown={(e: KeyboardEvent<HTMLFieldSetElement>) => gridKeys(e)}>
          <Table<StocktakeLineDto>
            size="small"
            bordered
            rowKey="id"
            columns={columns}
            dataSource={visible}
            loading={lines.isFetching && !lines.data}
            scroll={{ x: 'max-content' }}
            rowClassName={(l) =>
              [edits.has(l.id) ? 'inv-row-dirty' : '', flash?.id === l.id ? `inv-row-flash inv-flash-${flash.n % 2}` : '']
                .filter(Boolean)
                .join(' ')
            }
            pagination={{
              current: page,
              pageSize: PAGE,
              onChange: setPage,
              showSizeChanger: false,
              size: 'small',
              showTotal: (total) => t('common.total', { total }),
            }}
            data-testid="stocktake-lines"
          />
        </fieldset>
      </Card>
    </div>
  );
}

function ScopeText({
  counterId,
  shelfId,
  orgId,
  lines,
}: {
  counterId: number | null;
  shelfId: number | null;
  orgId: number;
  lines: readonly StocktakeLineDto[];
}) {
  const t = useT(m);
  const counters = useQuery({
    queryKey: ['counters', orgId],
    queryFn: () => api.get<{ id: number; code: string; name: string }[]>(`/api/orgs/${orgId}/counters`),
    enabled: counterId !== null,
    staleTime: 60_000,
  });
  if (counterId !== null) {
    const c = counters.data?.find((x) => x.id === counterId);
    return (
      <>
        {t('st.scope.counter')} {c ? `${c.code} ${c.name}` : ''}
      </>
    );
  }
  if (shelfId !== null) {
    // Every line of a shelf stocktake is on that shelf.
    const l = lines.find((x) => x.shelfId === shelfId);
    return (
      <>
        {t('st.scope.shelf')} {l ? `${l.shelfCode ?? ''} ${l.shelfName ?? ''}` : ''}
      </>
    );
  }
  return <>{t('st.scope.store')}</>;
}
/** A count cell: keeps what is typed locally and reports it; takes a new value when a scan changes it. */
const CountCell = memo(function CountCell({
  lineId,
  lineNo,
  value,
  nonce,
  onEdit,
  label,
}: {
  lineId: number;
  lineNo: number;
  value: string;
  nonce: number;
  onEdit: (lineId: number, value: string) => void;
  label: string;
}) {
  const [v, setV] = useState(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a scan of the same total still resets the cell
  useEffect(() => setV(value), [value, nonce]);
  return (
    <Input
      size="small"
      value={v}
      inputMode="decimal"
      style={{ width: 96, textAlign: 'right' }}
      status={v !== '' && !COUNT_RE.test(v.trim()) ? 'error' : undefined}
      onChange={(e) => {
        setV(e.target.value);
        onEdit(lineId, e.target.value);
      }}
      onFocus={(e) => e.target.select()}
      data-cell={`count-${lineNo}`}
      aria-label={label}
    />
  );
});
