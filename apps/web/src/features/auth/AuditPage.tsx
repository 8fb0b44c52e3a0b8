import { type DocAction, docActionLabels } from '@erp/contracts';
import { Descriptions, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { capitalize, fmtDateTime } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { m } from './messages';

export interface AuditRow {
  id: number;
  at: string;
  user_id: number | null;
  login: string;
  org_id: number | null;
  ip: string | null;
  request_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
}

const ENTITIES = [
  'session',
  'user',
  'role',
  'org',
  'org_params',
  'warehouse',
  'counter',
  'shelf',
  'distribution_relation',
  'doc_type_config',
  'document',
  'product',
] as const;
const ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'create',
  'update',
  'delete',
  'reset_password',
  'change_password',
  'logout_everywhere',
  'open_store',
] as const;

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Before/after side by side, changed fields first and highlighted. */
export function ChangeView({ row }: { row: Pick<AuditRow, 'before' | 'after' | 'detail' | 'ip' | 'request_id'> }) {
  const t = useT(m);
  const before = (row.before && typeof row.before === 'object' ? row.before : {}) as Record<string, unknown>;
  const after = (row.after && typeof row.after === 'object' ? row.after : {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const data = fields
    .map((f) => ({ field: f, before: show(before[f]), after: show(after[f]) }))
    .sort((a, b) => Number(b.before !== b.after) - Number(a.before !== a.after));
  return (
    <div style={{ padding: '4px 0' }}>
      <Descriptions size="small" column={3} style={{ marginBottom: 8 }}>
        <Descriptions.Item label={t('audit.ip')}>{row.ip}</Descriptions.Item>
        <Descriptions.Item label={t('audit.requestId')}>
          <Typography.Text copyable={!!row.request_id} style={{ fontSize: 12 }}>
            {row.request_id}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      {data.length > 0 ? (
        <Table
          size="small"
          bordered
          rowKey="field"
          pagination={false}
          dataSource={data}
          columns={[
            { title: t('audit.field'), dataIndex: 'field', width: 200 },
            { title: t('audit.before'), dataIndex: 'before', render: (v: string) => <span className="erp-json">{v}</span> },
            {
              title: t('audit.after'),
              dataIndex: 'after',
              render: (v: string, r) => (
                <span className="erp-json" style={r.before !== r.after ? { background: '#fff7e6' } : undefined}>
                  {v}
                </span>
              ),
            },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">{t('audit.noChange')}</Typography.Text>
      )}
      {row.detail !== null && row.detail !== undefined && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text strong>{t('audit.detail')}：</Typography.Text>
          <pre className="erp-json">{JSON.stringify(row.detail, null, 2)}</pre>
        </div>
      )}
    </div>
  );
}

export function useAuditLabels() {
  const t = useT(m);
  const bl = useLabel();
  const label = (prefix: 'action' | 'entity', v: string) => {
    const k = `${prefix}.${v}` as Parameters<typeof t>[0];
    const s = t(k);
    if (s !== k) return s;
    const docAction = prefix === 'action' && v.startsWith('doc.') ? v.slice(4) : null;
    if (docAction && docAction in docActionLabels) return capitalize(bl(docActionLabels[docAction as DocAction]));
    return v;
  };
  return { action: (v: string) => label('action', v), entity: (v: string) => label('entity', v) };
}

export default function AuditPage() {
  const t = useT(m);
  const orgLabel = useOrgLabel();
  const labels = useAuditLabels();
  const columns: ColumnsType<AuditRow> = [
    { title: t('audit.at'), dataIndex: 'at', width: 160, render: (v: string) => fmtDateTime(v) },
    { title: t('audit.user'), dataIndex: 'login', width: 120 },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 120,
      render: (v: string) => (
        <Tag color={v === 'login_failed' ? 'red' : v.startsWith('doc.') ? 'blue' : undefined}>{labels.action(v)}</Tag>
      ),
    },
    { title: t('audit.entity'), dataIndex: 'entity', width: 110, render: (v: string) => labels.entity(v) },
    {
      title: t('audit.entityId'),
      dataIndex: 'entity_id',
      width: 110,
      render: (v: string | null, r) => (r.entity === 'document' && v ? <Link to={`/documents/${v}`}>{v}</Link> : v),
    },
    { title: t('audit.org'), dataIndex: 'org_id', render: (v: number | null) => orgLabel(v) },
    { title: t('audit.ip'), dataIndex: 'ip', width: 130 },
  ];
  return (
    <div>
      <PageHeader title={t('page.audit')} />
      <div className="erp-panel">
        <DataTable<AuditRow>
          queryKey="audit"
          url="/api/audit"
          rowKey="id"
          columns={columns}
          filters={[
            { name: 'q', label: t('common.keyword'), placeholder: t('audit.search') },
            {
              name: 'entity',
              label: t('audit.entity'),
              type: 'select',
              width: 140,
              options: ENTITIES.map((e) => ({ value: e, label: labels.entity(e) })),
            },
            {
              name: 'action',
              label: t('audit.action'),
              type: 'select',
              width: 140,
              options: ACTIONS.map((a) => ({ value: a, label: labels.action(a) })),
            },
            { name: 'period', label: t('common.dateRange'), type: 'dateRange', range: ['from', 'to'], exclusiveEnd: true },
          ]}
          expandable={{ expandedRowRender: (r) => <ChangeView row={r} />, expandRowByClick: true }}
          exportGrant="audit:export"
        />
      </div>
    </div>
  );
}
