import {
  type DocAction,
  type DocStatus,
  type DocumentDetails,
  docActionLabels,
  docStatusLabels,
  docTypes,
  type Page,
  type PriceScope,
  type PriceType,
  priceScopeLabels,
  priceTypeLabels,
  type Wire,
} from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Result, Space, Spin, Table, Tag, Timeline } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api, errorText } from '../../shared/api';
import { CommentModal } from '../../shared/CommentModal';
import { DocStatusTag, useDocTypeLabel } from '../../shared/docs';
import { capitalize, fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useProductNames } from '../../shared/ProductSelect';
import { useWarehouses } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { type DocTypeSetting, type DocumentLine, type DocumentWithLines, useDocConfig } from './api';
import { m } from './messages';
import { PriceChangeView } from './PriceChangeView';

/** Document types whose partner is a supplier (the others name a wholesale customer). */
const SUPPLIER_DOCS = new Set(['purchase_order', 'purchase_receipt', 'purchase_return', 'self_purchase', 'first_operation']);

const grantOf: Record<DocAction, string> = {
  submit: 'submit',
  approve: 'approve',
  reject: 'approve',
  confirm: 'confirm',
  post: 'post',
  complete: 'complete',
  void: 'void',
  rollback: 'rollback',
};

/**
 * The buttons a document shows: what its state allows (SPEC DOC), narrowed by the type's settings at its org
 * and by the user's grants. Without the settings (a user who may not read them) both submit and confirm show
 * for a draft; the server decides.
 */
export function availableActions(
  doc: DocumentWithLines,
  cfg: DocTypeSetting | undefined,
  can: (g: string) => boolean,
): DocAction[] {
  const posts = cfg?.posts ?? docTypes[doc.docType].stockEffect;
  const out: DocAction[] = [];
  switch (doc.status) {
    case 'draft':
    case 'rejected':
      if (!cfg || cfg.needsApproval) out.push('submit');
      if (!cfg?.needsApproval) out.push('confirm');
      out.push('void');
      break;
    case 'pending_approval':
      out.push('approve', 'reject', 'void');
      break;
    case 'approved':
      out.push('confirm', 'void');
      break;
    case 'confirmed':
      out.push(posts ? 'post' : 'complete', 'void');
      break;
    case 'posted':
      out.push('complete');
      break;
    default:
      break;
  }
  if (cfg?.rollbackFrom?.includes(doc.status)) out.push('rollback');
  return out.filter((a) => can(`doc.${doc.docType}:${grantOf[a]}`));
}

interface HistoryItem {
  id: number;
  at: string;
  login: string;
  action: string;
  before: { status?: DocStatus } | null;
  after: { status?: DocStatus } | null;
  detail: { comment?: string } | null;
}

function History({ id }: { id: number }) {
  const t = useT(m);
  const label = useLabel();
  const q = useQuery({
    queryKey: ['documents', id, 'history'],
    queryFn: () => api.get<Page<HistoryItem>>(`/api/documents/${id}/history`),
  });
  if (q.isLoading) return <Spin />;
  if (q.isError) return <Alert type="error" showIcon title={errorText(q.error)} />;
  const items = q.data?.items ?? [];
  if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const actionText = (a: string) => {
    const k = a.startsWith('doc.') ? a.slice(4) : a;
    if (k in docActionLabels) return capitalize(label(docActionLabels[k as DocAction]));
    if (k === 'auto_approve') return t('history.autoApprove');
    if (k === 'create') return t('common.create');
    if (k === 'update') return t('common.edit');
    if (k === 'decide_lines') return t('line.approval');
    if (k === 'void_lines') return t('line.voidSelected');
    return a;
  };
  return (
    <Timeline
      data-testid="doc-history"
      items={items.map((h) => {
        const from = h.before?.status;
        const to = h.after?.status;
        return {
          key: h.id,
          color: h.action === 'doc.reject' || h.action === 'doc.void' ? 'red' : h.action === 'doc.post' ? 'green' : 'blue',
          content: (
            <div>
              <div>
                <strong>{t('history.by', { user: h.login, action: actionText(h.action) })}</strong>{' '}
                <span style={{ color: '#888', fontSize: 12 }}>{fmtDateTime(h.at)}</span>
              </div>
              {from && to && (
                <div style={{ fontSize: 12, color: '#666' }}>
                  {t('history.from', { from: label(docStatusLabels[from]), to: label(docStatusLabels[to]) })}
                </div>
              )}
              {h.detail?.comment && <div style={{ fontSize: 12 }}>“{h.detail.comment}”</div>}
            </div>
          ),
        };
      })}
    />
  );
}

/** A line's type-specific data (a price change's price type and scope, a move's target shelf…) as compact tags. */
function AttrTags({ attrs }: { attrs: Record<string, unknown> }) {
  const label = useLabel();
  const orgLabel = useOrgLabel();
  const entries = Object.entries(attrs ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!entries.length) return null;
  const show = (k: string, v: unknown): string => {
    if (k === 'priceType' && typeof v === 'string' && v in priceTypeLabels) return label(priceTypeLabels[v as PriceType]);
    if (k === 'scope' && typeof v === 'string' && v in priceScopeLabels) return label(priceScopeLabels[v as PriceScope]);
    if (k === 'storeId' && typeof v === 'number') return orgLabel(v);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  return (
    <span>
      {entries.map(([k, v]) => (
        <Tag key={k} style={{ marginInlineEnd: 4 }}>
          {show(k, v)}
        </Tag>
      ))}
    </span>
  );
}

export default function DocumentDetailPage() {
  const t = useT(m);
  const label = useLabel();
  const typeLabel = useDocTypeLabel();
  const orgLabel = useOrgLabel();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const [busy, setBusy] = useState<DocAction | null>(null);
  const [asking, setAsking] = useState<{ action: DocAction | 'reject_lines'; required: boolean } | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const doc = useQuery({
    queryKey: ['documents', id],
    queryFn: () => api.get<DocumentWithLines>(`/api/documents/${id}`),
    enabled: Number.isFinite(id),
  });
  const config = useDocConfig(doc.data?.orgId, can('doc_config:view'));
  // What the type adds to this view (a price change's reach and old → new prices); null for most types.
  const details = useQuery({
    queryKey: ['documents', id, 'details'],
    queryFn: () => api.get<{ details: Wire<DocumentDetails> | null }>(`/api/documents/${id}/details`),
    enabled: !!doc.data,
  });
  const warehouses = useWarehouses(undefined, can('warehouse:view'));
  const partnerPath = doc.data && SUPPLIER_DOCS.has(doc.data.docType) ? 'suppliers' : 'customers';
  const partner = useQuery({
    queryKey: ['partner', partnerPath, doc.data?.partnerId],
    queryFn: () => api.get<{ code: string; name: string }>(`/api/${partnerPath}/${doc.data?.partnerId}`),
    enabled: !!doc.data?.partnerId && can(partnerPath === 'suppliers' ? 'supplier:view' : 'customer:view'),
    retry: false,
  });
  const productNames = useProductNames(doc.data?.lines.map((l) => l.productId) ?? [], can('product:view'));
  const whName = (wid: number | null) => {
    if (wid === null) return '';
    const w = warehouses.data?.find((x) => x.id === wid);
    return w ? `${w.code} ${w.name}` : `#${wid}`;
  };

  if (doc.isLoading) return <Spin />;
  if (doc.isError || !doc.data) {
    const notFound = doc.error instanceof ApiError && doc.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('doc.notFound') : t('common.loadFailed')}
        subTitle={errorText(doc.error)}
        extra={<Link to="/documents">{t('common.back')}</Link>}
      />
    );
  }
  const d = doc.data;
  const cfg = config.data?.find((c) => c.docType === d.docType);
  const actions = availableActions(d, cfg, can);

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['documents', id] });
    await qc.invalidateQueries({ queryKey: ['list', 'documents'] });
  };

  const run = async (action: DocAction, comment?: string) => {
    setBusy(action);
    try {
      const res = await api.post<DocumentWithLines>(`/api/documents/${id}/transitions`, { action, comment });
      qc.setQueryData(['documents', id], res);
      message.success(t('act.done', { number: d.number, action: capitalize(label(docActionLabels[action])) }));
      setAsking(null);
      await refresh();
    } catch (e) {
      message.error(errorText(e));
      await refresh();
    } finally {
      setBusy(null);
    }
  };

  const onAction = (a: DocAction) => {
    if (a === 'reject') return setAsking({ action: 'reject', required: true });
    if (a === 'void') return setAsking({ action: 'void', required: false });
    if (a === 'post' || a === 'rollback')
      return modal.confirm({
        title: capitalize(label(docActionLabels[a])),
        content: t(a === 'post' ? 'act.post.confirm' : 'act.rollback.confirm', { number: d.number }),
        onOk: () => run(a),
      });
    return run(a);
  };

  const decideLines = async (decision: 'approved' | 'rejected', comment?: string) => {
    try {
      const res = await api.post<DocumentWithLines>(`/api/documents/${id}/line-decisions`, {
        decisions: selected.map((lineId) => ({ lineId, decision, comment })),
      });
      qc.setQueryData(['documents', id], res);
      setSelected([]);
      setAsking(null);
      message.success(t('common.done'));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const voidLines = () =>
    modal.confirm({
      title: t('line.voidSelected'),
      content: t('line.voidConfirm', { count: selected.length }),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          const res = await api.post<DocumentWithLines>(`/api/documents/${id}/void-lines`, { lineIds: selected });
          qc.setQueryData(['documents', id], res);
          setSelected([]);
          message.success(t('common.done'));
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const canDecideLines = d.lineApproval && d.status === 'pending_approval' && can(`doc.${d.docType}:approve`);
  const canVoidLines =
    ['draft', 'pending_approval', 'approved', 'rejected', 'confirmed'].includes(d.status) && can(`doc.${d.docType}:void`);
  const selectable = canDecideLines || canVoidLines;

  const lineColumns: ColumnsType<DocumentLine> = [
    { title: t('line.no'), dataIndex: 'lineNo', width: 56, align: 'right' },
    {
      title: t('line.product'),
      key: 'product',
      render: (_: unknown, l) => {
        if (l.productId === null) return '';
        const name = productNames.get(l.productId);
        return name && can('product:view') ? <Link to={`/catalog/products/${l.productId}`}>{name}</Link> : `#${l.productId}`;
      },
    },
    {
      title: t('line.qty'),
      dataIndex: 'qty',
      align: 'right',
      width: 90,
      render: (v: string) => <span className="erp-num">{fmtDecimal(v)}</span>,
    },
    {
      title: t('line.unitPrice'),
      dataIndex: 'unitPrice',
      align: 'right',
      width: 100,
      render: (v: string) => <span className="erp-num">{fmtDecimal(v, 2)}</span>,
    },
    {
      title: t('line.amount'),
      dataIndex: 'amount',
      align: 'right',
      width: 110,
      render: (v: string) => <span className="erp-num">{fmtMoney(v)}</span>,
    },
    { title: t('doc.warehouse'), dataIndex: 'warehouseId', render: (v: number | null) => whName(v) },
    { title: t('line.batch'), dataIndex: 'batchNo', width: 100 },
    { title: t('line.lot'), dataIndex: 'lotNo', width: 100 },
    { title: t('line.expiry'), dataIndex: 'expiryDate', width: 100, render: fmtDate },
    {
      title: t('line.stockStatus'),
      dataIndex: 'stockStatus',
      width: 80,
      render: (v: DocumentLine['stockStatus']) => t(`stock.${v}`),
    },
    {
      title: t('line.status'),
      dataIndex: 'status',
      width: 70,
      render: (v: DocumentLine['status']) => (v === 'void' ? <Tag>{t('line.void')}</Tag> : t('line.active')),
    },
    ...(d.lineApproval
      ? [
          {
            title: t('line.approval'),
            key: 'approval',
            width: 140,
            render: (_: unknown, l: DocumentLine) =>
              l.approvalStatus ? (
                <span title={l.approvalComment ?? ''}>
                  <Tag color={l.approvalStatus === 'approved' ? 'green' : l.approvalStatus === 'rejected' ? 'red' : 'gold'}>
                    {t(`line.${l.approvalStatus}`)}
                  </Tag>
                  {l.approvalComment}
                </span>
              ) : null,
          },
        ]
      : []),
    {
      title: t('line.attrs'),
      dataIndex: 'attrs',
      render: (a: Record<string, unknown>) => <AttrTags attrs={a} />,
    },
    { title: t('common.remarks'), dataIndex: 'remarks', ellipsis: true },
  ];

  return (
    <div>
      <PageHeader
        title={
          <Space>
            <span data-testid="doc-number">{d.number}</span>
            <Tag>{typeLabel(d.docType)}</Tag>
            <DocStatusTag status={d.status} />
          </Space>
        }
        extra={
          <Space wrap data-testid="doc-actions">
            {actions.map((a) => (
              <Button
                key={a}
                type={a === 'approve' || a === 'confirm' || a === 'post' || a === 'submit' ? 'primary' : 'default'}
                danger={a === 'reject' || a === 'void'}
                loading={busy === a}
                disabled={busy !== null && busy !== a}
                onClick={() => onAction(a)}
                data-action={a}
              >
                {capitalize(label(docActionLabels[a]))}
              </Button>
            ))}
          </Space>
        }
      />
      {d.status === 'rejected' && d.rejectComment && (
        <Alert type="error" showIcon title={`${t('doc.rejectComment')}：${d.rejectComment}`} style={{ marginBottom: 12 }} />
      )}
      <div className="erp-panel">
        <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('doc.org')}>{orgLabel(d.orgId)}</Descriptions.Item>
          <Descriptions.Item label={t('doc.warehouse')}>{whName(d.warehouseId)}</Descriptions.Item>
          <Descriptions.Item label={t('doc.businessDate')}>{fmtDate(d.businessDate)}</Descriptions.Item>
          {d.counterpartyOrgId !== null && (
            <Descriptions.Item label={t('doc.counterparty')}>{orgLabel(d.counterpartyOrgId)}</Descriptions.Item>
          )}
          {d.partnerId !== null && (
            <Descriptions.Item label={t('doc.partner')}>
              {partner.data ? `${partner.data.code} ${partner.data.name}` : `#${d.partnerId}`}
            </Descriptions.Item>
          )}
          {d.refDocumentId !== null && (
            <Descriptions.Item label={t('doc.ref')}>
              <Link to={`/documents/${d.refDocumentId}`}>#{d.refDocumentId}</Link>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('doc.totalQty')}>{fmtDecimal(d.totalQty)}</Descriptions.Item>
          <Descriptions.Item label={t('doc.totalAmount')}>{fmtMoney(d.totalAmount)}</Descriptions.Item>
          <Descriptions.Item label={t('doc.createdAt')}>{fmtDateTime(d.createdAt)}</Descriptions.Item>
          {d.approvedAt && <Descriptions.Item label={t('doc.approvedAt')}>{fmtDateTime(d.approvedAt)}</Descriptions.Item>}
          {d.confirmedAt && <Descriptions.Item label={t('doc.confirmedAt')}>{fmtDateTime(d.confirmedAt)}</Descriptions.Item>}
          {d.postedAt && <Descriptions.Item label={t('doc.postedAt')}>{fmtDateTime(d.postedAt)}</Descriptions.Item>}
          {d.completedAt && <Descriptions.Item label={t('doc.completedAt')}>{fmtDateTime(d.completedAt)}</Descriptions.Item>}
          {d.voidedAt && <Descriptions.Item label={t('doc.voidedAt')}>{fmtDateTime(d.voidedAt)}</Descriptions.Item>}
          {d.lineApproval && <Descriptions.Item label={t('doc.lineApproval')}>{t('common.yes')}</Descriptions.Item>}
          <Descriptions.Item label={t('common.remarks')} span="filled">
            {d.remarks}
          </Descriptions.Item>
        </Descriptions>
      </div>
      {details.data?.details?.kind === 'price_change' && <PriceChangeView details={details.data.details} />}
      <div style={{ display: 'flex', gap: 12, marginTop: 12, alignItems: 'flex-start', flexWrap: 'wrap' }}>
        <Card
          size="small"
          title={`${t('doc.lines')} (${d.lines.length})`}
          style={{ flex: '3 1 640px', minWidth: 0 }}
          extra={
            selectable && (
              <Space>
                {canDecideLines && (
                  <>
                    <Button size="small" disabled={!selected.length} onClick={() => decideLines('approved')}>
                      {t('line.approveSelected')}
                    </Button>
                    <Button
                      size="small"
                      danger
                      disabled={!selected.length}
                      onClick={() => setAsking({ action: 'reject_lines', required: true })}
                    >
                      {t('line.rejectSelected')}
                    </Button>
                  </>
                )}
                {canVoidLines && (
                  <Button size="small" danger disabled={!selected.length} onClick={voidLines}>
                    {t('line.voidSelected')}
                  </Button>
                )}
              </Space>
            )
          }
        >
          <Table<DocumentLine>
            size="small"
            bordered
            rowKey="id"
            dataSource={d.lines}
            columns={lineColumns}
            pagination={d.lines.length > 100 ? { pageSize: 100, size: 'small' } : false}
            scroll={{ x: 'max-content' }}
            rowSelection={
              selectable
                ? {
                    selectedRowKeys: selected,
                    onChange: (keys) => setSelected(keys as number[]),
                    getCheckboxProps: (l) => ({ disabled: l.status === 'void' }),
                  }
                : undefined
            }
          />
        </Card>
        <Card size="small" title={t('doc.history')} style={{ flex: '1 1 300px' }}>
          <History id={id} />
        </Card>
      </div>
      {asking && (
        <CommentModal
          title={
            asking.action === 'reject_lines'
              ? t('line.rejectSelected')
              : asking.action === 'reject'
                ? t('act.reject.title')
                : t('act.void.title')
          }
          warning={asking.action === 'void' ? t('act.void.confirm', { number: d.number }) : undefined}
          required={asking.required}
          danger={asking.required}
          onClose={() => setAsking(null)}
          onOk={(comment) =>
            asking.action === 'reject_lines' ? decideLines('rejected', comment) : run(asking.action as DocAction, comment)
          }
        />
      )}
    </div>
  );
}
