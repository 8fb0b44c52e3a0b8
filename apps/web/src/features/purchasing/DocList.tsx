import { DOC_STATUSES, type DocType, docStatusLabels } from '@erp/contracts';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { DataTable, type FilterDef } from '../../shared/DataTable';
import { DocStatusTag } from '../../shared/docs';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { useOrgLabel } from '../../shared/orgs';
import { useWarehouses } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { SupplierSelect, useSupplierNames } from '../../shared/stockPickers';
import type { DocumentHeader } from '../documents/api';
import { m } from './messages';

/**
 * The list of one document type (receipts, returns, losses…) on the generic document API: number, date,
 * status, org, warehouse, supplier, totals; filters in the URL. Rows open the type's own screen.
 */
export function DocList({
  docType,
  basePath,
  toolbar,
  supplier = false,
  extraColumns = [],
  extraFilters = [],
}: {
  docType: DocType;
  basePath: string;
  toolbar?: ReactNode;
  supplier?: boolean;
  extraColumns?: ColumnsType<DocumentHeader>;
  extraFilters?: FilterDef[];
}) {
  const t = useT(m);
  const orgLabel = useOrgLabel();
  const label = useLabel();
  const navigate = useNavigate();
  const { can, currentOrgId } = useSession();
  const warehouses = useWarehouses(currentOrgId, can('warehouse:view'));
  const supplierName = useSupplierNames();
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
      render: (v: string, r) => <Link to={`${basePath}/${r.id}`}>{v}</Link>,
    },
    { title: t('doc.businessDate'), dataIndex: 'businessDate', key: 'businessDate', sorter: true, width: 100, render: fmtDate },
    {
      title: t('doc.status'),
      dataIndex: 'status',
      width: 90,
      render: (v: DocumentHeader['status']) => <DocStatusTag status={v} />,
    },
    {
      title: t('doc.org'),
      key: 'org',
      width: 150,
      render: (_: unknown, r) => orgLabel(r.orgId, `${r.orgCode ?? ''} ${r.orgName ?? ''}`),
    },
    { title: t('doc.warehouse'), dataIndex: 'warehouseId', width: 140, render: (v: number | null) => whName(v) },
    ...(supplier
      ? [{ title: t('doc.supplier'), dataIndex: 'partnerId', width: 220, render: (v: number | null) => supplierName(v) }]
      : []),
    ...extraColumns,
    {
      title: t('doc.totalQty'),
      dataIndex: 'totalQty',
      align: 'right',
      width: 90,
      render: (v: string) => <span className="erp-num">{fmtDecimal(v)}</span>,
    },
    {
      title: t('doc.totalAmount'),
      dataIndex: 'totalAmount',
      key: 'totalAmount',
      sorter: true,
      align: 'right',
      width: 110,
      render: (v: string) => <span className="erp-num">{fmtMoney(v)}</span>,
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
    ...(supplier
      ? [
          {
            name: 'partnerId',
            label: t('doc.supplier'),
            type: 'custom' as const,
            numeric: true,
            render: () => <SupplierSelect style={{ width: 220 }} />,
          },
        ]
      : []),
    ...extraFilters,
    { name: 'period', label: t('doc.businessDate'), type: 'dateRange', range: ['from', 'to'] },
  ];
  return (
    <DataTable<DocumentHeader>
      queryKey="documents"
      url="/api/documents"
      rowKey="id"
      params={{ docType, orgId: currentOrgId ?? undefined }}
      columns={columns}
      filters={filters}
      toolbar={toolbar}
      onRow={(r) => ({ onDoubleClick: () => navigate(`${basePath}/${r.id}`) })}
    />
  );
}
