import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { useDocTypeLabel } from '../../shared/docs';
import { fmtDate, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { SupplierSelect } from '../../shared/stockPickers';
import type { PayableRow } from './api';
import { m } from './messages';

const pathOf: Record<string, string> = {
  purchase_receipt: 'receipts',
  self_purchase: 'self-purchases',
  purchase_return: 'returns',
};

/** 采购应付: what each receipt and self-purchase owes its supplier, and what returns and voids credit back. */
export default function PayablesPage() {
  const t = useT(m);
  const orgLabel = useOrgLabel();
  const typeLabel = useDocTypeLabel();
  const { currentOrgId } = useSession();
  const columns: ColumnsType<PayableRow> = [
    { title: t('doc.businessDate'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    {
      title: t('doc.number'),
      dataIndex: 'number',
      width: 180,
      render: (v: string, r) => <Link to={`/purchasing/${pathOf[r.docType] ?? 'receipts'}/${r.documentId}`}>{v}</Link>,
    },
    { title: t('doc.type'), dataIndex: 'docType', width: 110, render: (v: string) => typeLabel(v) },
    { title: t('doc.org'), dataIndex: 'orgName', width: 140, render: (v: string, r) => orgLabel(r.orgId, v) },
    {
      title: t('doc.supplier'),
      key: 's',
      width: 260,
      render: (_: unknown, r) => `${r.supplierCode ?? ''} ${r.supplierName ?? ''}`,
    },
    {
      title: t('line.amount'),
      dataIndex: 'amount',
      width: 120,
      align: 'right',
      render: (v: string) => <span className={v.startsWith('-') ? 'erp-qty-shortage' : 'erp-num'}>{fmtMoney(v)}</span>,
    },
  ];
  return (
    <div>
      <PageHeader title={t('page.payables')} />
      <div className="erp-panel">
        <DataTable<PayableRow>
          queryKey="purchase-payables"
          url="/api/purchasing/payables"
          rowKey="id"
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[
            { name: 'q', label: t('common.keyword'), placeholder: t('payables.searchHint'), width: 200 },
            {
              name: 'supplierId',
              label: t('doc.supplier'),
              type: 'custom',
              numeric: true,
              render: () => <SupplierSelect style={{ width: 220 }} />,
            },
            { name: 'period', label: t('doc.businessDate'), type: 'dateRange', range: ['from', 'to'] },
          ]}
          exportUrl="/api/purchasing/payables/export"
          exportGrant="purchase_payable:export"
          exportName="purchase-payables.xlsx"
        />
      </div>
    </div>
  );
}
