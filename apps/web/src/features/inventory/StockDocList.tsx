import { PlusOutlined } from '@ant-design/icons';
import { DOC_STATUSES, docStatusLabels } from '@erp/contracts';
import { Button } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { DataTable, type FilterDef } from '../../shared/DataTable';
import { DocStatusTag } from '../../shared/docs';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useWarehouses } from '../../shared/selects';
import { useSession } from '../../shared/session';
import type { DocumentHeader } from './api';
import './inventory.css';
import { KINDS, type StockDocKind } from './kinds';
import { m } from './messages';

/**
 * The list of one inventory document type on the generic document API: number, date, status, org,
 * warehouse, reason, totals; filters in the URL; Excel export of the same filters. Rows open the type's screen.
 */
export function StockDocList({ kind }: { kind: StockDocKind }) {
  const k = KINDS[kind];
  const t = useT(m);
  const label = useLabel();
  const navigate = useNavigate();
  const { can, currentOrgId } = useSession();
  const warehouses = useWarehouses(currentOrgId, can('warehouse:view'));
  const whName = (id: number | null) => {
    if (id === null) return '';
    const w = warehouses.data?.find((x) => x.id === id);
    return w ? `${w.code} ${w.name}` : `#${id}`;
  };
  const columns: ColumnsType<DocumentHeader> = [
    {
      title: t('doc.number'),
      dataIndex: 'number',
      key: 'number',
      sorter: true,
      width: 190,
      render: (v: string, r) => <Link to={`${k.base}/${r.id}`}>{v}</Link>,
    },
    { title: t('doc.businessDate'), dataIndex: 'businessDate', key: 'businessDate', sorter: true, width: 100, render: fmtDate },
    {
      title: t('doc.status'),
      dataIndex: 'status',
      width: 90,
      render: (v: DocumentHeader['status']) => <DocStatusTag status={v} />,
    },
    { title: t('doc.org'), key: 'org', width: 150, render: (_: unknown, r) => `${r.orgCode ?? ''} ${r.orgName ?? ''}` },
    { title: t('doc.warehouse'), dataIndex: 'warehouseId', width: 140, render: (v: number | null) => whName(v) },
    {
      title: t('doc.reason'),
      key: 'reason',
      width: 160,
      ellipsis: true,
      render: (_: unknown, r) => (r.attrs?.reason as string | undefined) ?? '',
    },
    {
      title: t('doc.totalQty'),
      dataIndex: 'totalQty',
      align: 'right',
      width: 90,
      render: (v: string) => <span className="inv-num">{fmtDecimal(v)}</span>,
    },
    {
      title: t('doc.totalAmount'),
      dataIndex: 'totalAmount',
      key: 'totalAmount',
      sorter: true,
      align: 'right',
      width: 110,
      render: (v: string) => <span className="inv-num">{fmtMoney(v)}</span>,
    },
    { title: t('doc.createdAt'), dataIndex: 'createdAt', key: 'createdAt', sorter: true, width: 150, render: fmtDateTime },
    { title: t('common.remarks'), dataIndex: 'remarks', ellipsis: true },
  ];
  const filters: FilterDef[] = [
    { name: 'q', label: t('doc.number'), placeholder: t('doc.searchNumber'), width: 170 },
    {
      name: 'status',
      label: t('doc.status'),
      type: 'select',
      width: 120,
      options: DOC_STATUSES.map((s) => ({ value: s, label: label(docStatusLabels[s]) })),
    },
    { name: 'period', label: t('doc.businessDate'), type: 'dateRange', range: ['from', 'to'] },
  ];
  return (
    <div>
      <PageHeader
        title={t(k.list)}
        extra={
          can(`doc.${k.docType}:create`) ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`${k.base}/new`)} data-testid="doc-new">
              {t('doc.new')}
            </Button>
          ) : null
        }
      />
      <DataTable<DocumentHeader>
        queryKey="documents"
        url="/api/documents"
        rowKey="id"
        params={{ docType: k.docType, orgId: currentOrgId ?? undefined }}
        columns={columns}
        filters={filters}
        exportUrl="/api/documents/export"
        exportGrant={`doc.${k.docType}:export`}
        onRow={(r) => ({ onDoubleClick: () => navigate(`${k.base}/${r.id}`) })}
      />
    </div>
  );
}

/** One list component per document type (the routes load them by name). */
export const lists = {
  loss: () => <StockDocList kind="loss" />,
  overage: () => <StockDocList kind="overage" />,
  other_inbound: () => <StockDocList kind="other_inbound" />,
  other_outbound: () => <StockDocList kind="other_outbound" />,
  internal_adjustment: () => <StockDocList kind="internal_adjustment" />,
  warehouse_move: () => <StockDocList kind="warehouse_move" />,
} satisfies Record<StockDocKind, () => ReactNode>;
