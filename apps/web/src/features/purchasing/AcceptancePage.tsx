import { ACCEPTANCE_CONCLUSIONS, acceptanceConclusionLabels } from '@erp/contracts';
import { Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { fmtDate, fmtDateTime, fmtDecimal } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect } from '../../shared/ProductSelect';
import { useSession } from '../../shared/session';
import { SupplierSelect } from '../../shared/stockPickers';
import type { AcceptanceRecordRow } from './api';
import { m } from './messages';

const conclusionColor = { accepted: 'green', partly_rejected: 'orange', rejected: 'red' } as const;

/** 验收记录 (GSP-1): one record per received line, written when a receipt or self-purchase posts. */
export default function AcceptancePage() {
  const t = useT(m);
  const orgLabel = useOrgLabel();
  const label = useLabel();
  const { currentOrgId } = useSession();
  const columns: ColumnsType<AcceptanceRecordRow> = [
    { title: t('acc.date'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    {
      title: t('doc.number'),
      dataIndex: 'number',
      width: 180,
      render: (v: string, r) => (
        <Link to={`/purchasing/${r.docType === 'self_purchase' ? 'self-purchases' : 'receipts'}/${r.documentId}`}>{v}</Link>
      ),
    },
    { title: t('doc.org'), dataIndex: 'orgName', width: 120, render: (v: string, r) => orgLabel(r.orgId, v) },
    { title: t('doc.warehouse'), dataIndex: 'warehouseName', width: 90 },
    { title: t('doc.supplier'), dataIndex: 'supplierName', width: 200, ellipsis: true },
    { title: t('line.productCode'), dataIndex: 'productCode', width: 100 },
    { title: t('line.productName'), dataIndex: 'productName', width: 180 },
    { title: t('line.lot'), dataIndex: 'lotNo', width: 100 },
    { title: t('line.batch'), dataIndex: 'batchNo', width: 150 },
    { title: t('line.expiry'), dataIndex: 'expiryDate', width: 100, render: fmtDate },
    { title: t('acc.received'), dataIndex: 'receivedQty', width: 80, align: 'right', render: (v: string) => fmtDecimal(v) },
    { title: t('acc.accepted'), dataIndex: 'acceptedQty', width: 80, align: 'right', render: (v: string) => fmtDecimal(v) },
    { title: t('line.rejectedQty'), dataIndex: 'rejectedQty', width: 80, align: 'right', render: (v: string) => fmtDecimal(v) },
    {
      title: t('acc.conclusion'),
      dataIndex: 'conclusion',
      width: 100,
      render: (v: AcceptanceRecordRow['conclusion'], r) => (
        <>
          <Tag color={conclusionColor[v]}>{label(acceptanceConclusionLabels[v])}</Tag>
          {r.voided && <Tag>{t('line.void')}</Tag>}
        </>
      ),
    },
    { title: t('line.rejectReason'), dataIndex: 'rejectReason', width: 120, ellipsis: true },
    { title: t('receipt.inspector'), dataIndex: 'inspector', width: 90 },
    { title: t('acc.inspectedAt'), dataIndex: 'inspectedAt', width: 150, render: fmtDateTime },
  ];
  return (
    <div>
      <PageHeader title={t('page.acceptance')} />
      <div className="erp-panel">
        <DataTable<AcceptanceRecordRow>
          queryKey="acceptance-records"
          url="/api/purchasing/acceptance-records"
          rowKey="id"
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[
            { name: 'q', label: t('common.keyword'), placeholder: t('acc.searchHint'), width: 200 },
            {
              name: 'supplierId',
              label: t('doc.supplier'),
              type: 'custom',
              numeric: true,
              render: () => <SupplierSelect style={{ width: 200 }} />,
            },
            {
              name: 'productId',
              label: t('line.product'),
              type: 'custom',
              numeric: true,
              render: () => <ProductSelect style={{ width: 220 }} />,
            },
            { name: 'lotNo', label: t('line.lot'), width: 120 },
            {
              name: 'conclusion',
              label: t('acc.conclusion'),
              type: 'select',
              width: 110,
              options: ACCEPTANCE_CONCLUSIONS.map((c) => ({ value: c, label: label(acceptanceConclusionLabels[c]) })),
            },
            { name: 'period', label: t('acc.date'), type: 'dateRange', range: ['from', 'to'] },
          ]}
          exportUrl="/api/purchasing/acceptance-records/export"
          exportGrant="acceptance_record:export"
          exportName="acceptance-records.xlsx"
        />
      </div>
    </div>
  );
}
