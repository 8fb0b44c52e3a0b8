import { PlusOutlined } from '@ant-design/icons';
import { DOC_STATUSES, docStatusLabels } from '@erp/contracts';
import { Button } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { DocStatusTag } from '../../shared/docs';
import { fmtDateTime } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import type { DocumentHeader } from '../documents/api';
import { m } from './messages';

/** Price-change documents (调价单): the generic document list narrowed to one type, and a way to write one. */
export default function PriceChangesPage() {
  const t = useT(m);
  const label = useLabel();
  const navigate = useNavigate();
  const { can, currentOrgId } = useSession();
  const columns: ColumnsType<DocumentHeader> = [
    {
      title: t('pc.number'),
      dataIndex: 'number',
      key: 'number',
      sorter: true,
      width: 200,
      render: (v: string, r) => <Link to={`/documents/${r.id}`}>{v}</Link>,
    },
    { title: t('pc.org'), key: 'org', render: (_: unknown, r) => `${r.orgCode ?? ''} ${r.orgName ?? ''}` },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 100,
      render: (v: DocumentHeader['status']) => <DocStatusTag status={v} />,
    },
    {
      title: t('pc.effectiveFrom'),
      key: 'from',
      width: 160,
      render: (_: unknown, r) => fmtDateTime((r.attrs as { effectiveFrom?: string }).effectiveFrom ?? null),
    },
    {
      title: t('pc.effectiveTo'),
      key: 'to',
      width: 160,
      render: (_: unknown, r) => fmtDateTime((r.attrs as { effectiveTo?: string }).effectiveTo ?? null),
    },
    { title: t('common.time'), dataIndex: 'createdAt', key: 'createdAt', sorter: true, width: 160, render: fmtDateTime },
    { title: t('common.remarks'), dataIndex: 'remarks', ellipsis: true },
  ];
  return (
    <div>
      <PageHeader
        title={t('page.priceChanges')}
        extra={
          can('doc.price_change:create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/catalog/price-changes/new')}>
              {t('page.priceChangeNew')}
            </Button>
          )
        }
      />
      <div className="erp-panel">
        <DataTable<DocumentHeader>
          queryKey="documents"
          url="/api/documents"
          rowKey="id"
          params={{ docType: 'price_change', orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[
            { name: 'q', label: t('common.keyword') },
            {
              name: 'status',
              label: t('common.status'),
              type: 'select',
              width: 130,
              options: DOC_STATUSES.map((s) => ({ value: s, label: label(docStatusLabels[s]) })),
            },
            { name: 'period', label: t('common.dateRange'), type: 'dateRange', range: ['from', 'to'] },
          ]}
        />
      </div>
    </div>
  );
}
