import { Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DataTable } from '../../shared/DataTable';
import { fmtDate, fmtDecimal, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect } from '../../shared/ProductSelect';
import { useWarehouses } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { m } from './messages';

interface Row {
  warehouseId: number;
  warehouseCode: string;
  warehouseName: string;
  productId: number;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  shelfCode: string | null;
  status: 'sellable' | 'unsellable' | 'pending_check';
  expiryDate: string;
  daysLeft: number;
  qty: string;
  value: string;
}

/** 近效期 (INV-3): stock whose expiry falls within N days, soonest first. */
export default function NearExpiryPage() {
  const t = useT(m);
  const { currentOrgId } = useSession();
  const warehouses = useWarehouses(currentOrgId);
  const columns: ColumnsType<Row> = [
    { title: t('col.warehouse'), key: 'wh', width: 150, render: (_: unknown, r) => `${r.warehouseCode} ${r.warehouseName}` },
    { title: t('col.productCode'), dataIndex: 'productCode', width: 110 },
    { title: t('col.productName'), dataIndex: 'productName', width: 220 },
    { title: t('col.batch'), dataIndex: 'batchNo', width: 110 },
    { title: t('col.lot'), dataIndex: 'lotNo', width: 100 },
    { title: t('col.expiry'), dataIndex: 'expiryDate', width: 100, render: fmtDate },
    {
      title: t('ne.daysLeft'),
      dataIndex: 'daysLeft',
      width: 90,
      align: 'right',
      render: (v: number) =>
        v < 0 ? <Tag color="red">{t('ne.expired')}</Tag> : <Tag color={v <= 30 ? 'orange' : 'gold'}>{v}</Tag>,
    },
    { title: t('col.shelf'), dataIndex: 'shelfCode', width: 80 },
    { title: t('col.status'), dataIndex: 'status', width: 80, render: (v: Row['status']) => t(`status.${v}`) },
    { title: t('col.qty'), dataIndex: 'qty', width: 100, align: 'right', render: (v: string) => fmtDecimal(v) },
    { title: t('col.costAmount'), dataIndex: 'value', width: 110, align: 'right', render: (v: string) => fmtMoney(v) },
  ];
  return (
    <div>
      <PageHeader title={t('page.nearExpiry')} />
      <div className="erp-panel">
        <DataTable<Row>
          queryKey="near-expiry"
          url="/api/stock/near-expiry"
          rowKey={(r) => `${r.warehouseId}-${r.productId}-${r.batchNo}-${r.lotNo}-${r.shelfCode}-${r.status}`}
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[
            {
              name: 'days',
              label: t('ne.days'),
              type: 'select',
              width: 100,
              placeholder: '90',
              options: [30, 60, 90, 180, 365].map((d) => ({ value: d, label: String(d) })),
            },
            {
              name: 'includeExpired',
              label: t('ne.includeExpired'),
              type: 'select',
              width: 90,
              options: [
                { value: 'true', label: t('common.yes') },
                { value: 'false', label: t('common.no') },
              ],
            },
            {
              name: 'warehouseId',
              label: t('col.warehouse'),
              type: 'select',
              width: 180,
              options: (warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` })),
            },
            {
              name: 'productId',
              label: t('filter.product'),
              type: 'custom',
              numeric: true,
              render: () => <ProductSelect style={{ width: 220 }} />,
            },
          ]}
          exportUrl="/api/stock/near-expiry/export"
          exportGrant="stock:export"
        />
      </div>
    </div>
  );
}
