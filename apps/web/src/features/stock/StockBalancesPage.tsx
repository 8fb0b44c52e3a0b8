import { dec } from '@erp/contracts';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { fmtDate, fmtDecimal, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useWarehouses } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { m } from './messages';

export interface BalanceRow {
  warehouseId: number;
  warehouseCode: string;
  warehouseName: string;
  orgId: number;
  productId: number;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  shelfId: number | null;
  status: 'sellable' | 'unsellable' | 'pending_check';
  qty: string;
  avgCost: string | null;
}

const STATUSES = ['sellable', 'unsellable', 'pending_check'] as const;

export default function StockBalancesPage() {
  const t = useT(m);
  const orgLabel = useOrgLabel();
  const { currentOrgId } = useSession();
  const warehouses = useWarehouses(currentOrgId);
  const columns: ColumnsType<BalanceRow> = [
    { title: t('col.warehouse'), key: 'wh', width: 160, render: (_: unknown, r) => `${r.warehouseCode} ${r.warehouseName}` },
    { title: t('col.org'), dataIndex: 'orgId', width: 150, render: (v: number) => orgLabel(v) },
    {
      title: t('col.productCode'),
      dataIndex: 'productCode',
      width: 120,
      render: (v: string, r) => <Link to={`/stock/ledger?productId=${r.productId}&warehouseId=${r.warehouseId}`}>{v}</Link>,
    },
    { title: t('col.productName'), dataIndex: 'productName' },
    { title: t('col.batch'), dataIndex: 'batchNo', width: 100 },
    { title: t('col.lot'), dataIndex: 'lotNo', width: 100 },
    { title: t('col.expiry'), dataIndex: 'expiryDate', width: 100, render: fmtDate },
    { title: t('col.shelf'), dataIndex: 'shelfId', width: 70, render: (v: number | null) => (v ? `#${v}` : t('shelf.none')) },
    { title: t('col.status'), dataIndex: 'status', width: 80, render: (v: BalanceRow['status']) => t(`status.${v}`) },
    {
      title: t('col.qty'),
      dataIndex: 'qty',
      align: 'right',
      width: 100,
      render: (v: string) => (
        <span className="erp-num" style={v.startsWith('-') ? { color: '#cf1322' } : undefined}>
          {fmtDecimal(v)}
        </span>
      ),
    },
    {
      title: t('col.avgCost'),
      dataIndex: 'avgCost',
      align: 'right',
      width: 110,
      render: (v: string | null) => <span className="erp-num">{fmtDecimal(v, 2)}</span>,
    },
    {
      title: t('col.costAmount'),
      key: 'value',
      align: 'right',
      width: 120,
      render: (_: unknown, r) => (
        <span className="erp-num">{r.avgCost ? fmtMoney(dec(r.qty).times(r.avgCost).toFixed(2)) : ''}</span>
      ),
    },
  ];
  return (
    <div>
      <PageHeader title={t('page.balances')} />
      <div className="erp-panel">
        <DataTable<BalanceRow>
          queryKey="stock-balances"
          url="/api/stock/balances"
          rowKey={(r) => `${r.warehouseId}-${r.productId}-${r.batchNo}-${r.lotNo}-${r.shelfId}-${r.status}`}
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[
            { name: 'q', label: t('filter.product'), placeholder: t('filter.productHint') },
            {
              name: 'warehouseId',
              label: t('col.warehouse'),
              type: 'select',
              width: 180,
              options: (warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` })),
            },
            { name: 'batchNo', label: t('col.batch'), width: 120 },
            { name: 'lotNo', label: t('col.lot'), width: 120 },
            {
              name: 'status',
              label: t('col.status'),
              type: 'select',
              width: 110,
              options: STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
            },
            { name: 'includeZero', label: t('filter.includeZero'), type: 'switch' },
          ]}
          exportGrant="stock:export"
        />
      </div>
    </div>
  );
}
