import { DOC_STATUSES, DOC_TYPES, docStatusLabels } from '@erp/contracts';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { DocStatusTag, useDocTypeLabel } from '../../shared/docs';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import type { DocumentHeader } from './api';
import { m } from './messages';

export default function DocumentsPage() {
  const t = useT(m);
  const label = useLabel();
  const typeLabel = useDocTypeLabel();
  const { can, currentOrgId } = useSession();
  const viewable = DOC_TYPES.filter((d) => can(`doc.${d}:view`));
  const columns: ColumnsType<DocumentHeader> = [
    {
      title: t('doc.number'),
      dataIndex: 'number',
      key: 'number',
      sorter: true,
      width: 200,
      render: (v: string, r) => <Link to={`/documents/${r.id}`}>{v}</Link>,
    },
    { title: t('doc.type'), dataIndex: 'docType', width: 120, render: (v: string) => typeLabel(v) },
    { title: t('doc.org'), key: 'org', render: (_: unknown, r) => `${r.orgCode ?? ''} ${r.orgName ?? ''}` },
    { title: t('doc.businessDate'), dataIndex: 'businessDate', key: 'businessDate', sorter: true, width: 110, render: fmtDate },
    {
      title: t('doc.status'),
      dataIndex: 'status',
      width: 100,
      render: (v: DocumentHeader['status']) => <DocStatusTag status={v} />,
    },
    {
      title: t('doc.totalQty'),
      dataIndex: 'totalQty',
      align: 'right',
      width: 100,
      render: (v: string) => <span className="erp-num">{fmtDecimal(v)}</span>,
    },
    {
      title: t('doc.totalAmount'),
      dataIndex: 'totalAmount',
      key: 'totalAmount',
      sorter: true,
      align: 'right',
      width: 120,
      render: (v: string) => <span className="erp-num">{fmtMoney(v)}</span>,
    },
    { title: t('doc.createdAt'), dataIndex: 'createdAt', key: 'createdAt', sorter: true, width: 160, render: fmtDateTime },
    { title: t('common.remarks'), dataIndex: 'remarks', ellipsis: true },
  ];
  return (
    <div>
      <PageHeader title={t('page.documents')} />
      <div className="erp-panel">
        <DataTable<DocumentHeader>
          queryKey="documents"
          url="/api/documents"
          rowKey="id"
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[
            { name: 'q', label: t('doc.number'), placeholder: t('doc.searchNumber') },
            {
              name: 'docType',
              label: t('doc.type'),
              type: 'select',
              width: 150,
              options: viewable.map((d) => ({ value: d, label: typeLabel(d) })),
            },
            {
              name: 'status',
              label: t('doc.status'),
              type: 'select',
              width: 130,
              options: DOC_STATUSES.map((s) => ({ value: s, label: label(docStatusLabels[s]) })),
            },
            { name: 'period', label: t('doc.businessDate'), type: 'dateRange', range: ['from', 'to'] },
          ]}
        />
      </div>
    </div>
  );
}
