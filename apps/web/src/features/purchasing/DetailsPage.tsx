import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { useDocTypeLabel } from '../../shared/docs';
import { fmtDate, fmtDecimal, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect } from '../../shared/ProductSelect';
import { useSession } from '../../shared/session';
import { SupplierSelect } from '../../shared/stockPickers';
import type { PurchaseDetailRow } from './api';
import { m } from './messages';

const TYPES = ['purchase_receipt', 'self_purchase', 'purchase_return'] as const;
const pathOf: Record<string, string> = {
  purchase_receipt: 'receipts',
  self_purchase: 'self-purchases',
  purchase_return: 'returns',
};

/** 进货明细查询: lines of posted receipts, self-purchases and returns (returns negative). */
export default function DetailsPage() {
  const t = useT(m);
  const orgLabel = useOrgLabel();
  const typeLabel = useDocTypeLabel();
  const { currentOrgId } = useSession();
  const columns: ColumnsType<PurchaseDetailRow> = [
    { title: t('doc.businessDate'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    {
      title: t('doc.number'),
      dataIndex: 'number',
      width: 180,
      render: (v: string, r) => <Link to={`/purchasing/${pathOf[r.docType] ?? 'receipts'}/${r.documentId}`}>{v}</Link>,
    },
    { title: t('doc.type'), dataIndex: 'docType', width: 110, render: (v: string) => typeLabel(v) },
    { title: t('doc.org'), dataIndex: 'orgName', width: 120, render: (v: string, r) => orgLabel(r.orgId, v) },
    { title: t('doc.warehouse'), dataIndex: 'warehouseName', width: 90 },
    { title: t('doc.supplier'), dataIndex: 'supplierName', width: 200, ellipsis: true },
    { title: t('line.productCode'), dataIndex: 'productCode', width: 100 },
    { title: t('line.productName'), dataIndex: 'productName', width: 180 },
    { title: t('line.batch'), dataIndex: 'batchNo', width: 150 },
    { title: t('line.lot'), dataIndex: 'lotNo', width: 100 },
    { title: t('line.expiry'), dataIndex: 'expiryDate', width: 100, render: fmtDate },
    {
      title: t('line.baseQty'),
      dataIndex: 'qty',
      width: 90,
      align: 'right',
      render: (v: string) => <span className={v.startsWith('-') ? 'erp-qty-shortage' : 'erp-num'}>{fmtDecimal(v)}</span>,
    },
    { title: t('line.basePrice'), dataIndex: 'unitPrice', width: 90, align: 'right', render: (v: string) => fmtDecimal(v, 2) },
    { title: t('line.amount'), dataIndex: 'amount', width: 100, align: 'right', render: (v: string) => fmtMoney(v) },
    { title: t('line.status'), dataIndex: 'lineStatus', width: 70, render: (v: string) => (v === 'void' ? t('line.void') : '') },
  ];
  return (
    <div>
      <PageHeader title={t('page.details')} />
      <div className="erp-panel">
        <DataTable<PurchaseDetailRow>
          queryKey="purchase-details"
          url="/api/purchasing/details"
          rowKey="lineId"
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[
            { name: 'q', label: t('common.keyword'), placeholder: t('details.searchHint'), width: 200 },
            {
              name: 'docType',
              label: t('doc.type'),
              type: 'select',
              width: 130,
              options: TYPES.map((d) => ({ value: d, label: typeLabel(d) })),
            },
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
            { name: 'period', label: t('doc.businessDate'), type: 'dateRange', range: ['from', 'to'] },
          ]}
          exportUrl="/api/purchasing/details/export"
          exportGrant="purchase_query:export"
          exportName="purchase-details.xlsx"
        />
      </div>
    </div>
  );
}
