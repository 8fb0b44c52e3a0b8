import { Segmented, Space } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router';
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
  productSpec?: string;
  unitName?: string | null;
  batchNo: string | null;
  lotNo: string | null;
  expiryDate: string | null;
  shelfId: number | null;
  shelfCode?: string | null;
  status: 'sellable' | 'unsellable' | 'pending_check' | null;
  qty: string;
  avgCost: string | null;
  value?: string;
}

const STATUSES = ['sellable', 'unsellable', 'pending_check'] as const;
type View = 'detail' | 'batch' | 'product';
/** How the server groups balances for each view (INV-3): every dimension, batch and lot, or product only. */
const groupByOf: Record<View, string | undefined> = { detail: undefined, batch: 'batch,lot', product: ',' };

/** Stock on hand by warehouse and product, by batch, or in full detail (batch, lot, shelf, status). */
export default function StockBalancesPage() {
  const t = useT(m);
  const orgLabel = useOrgLabel();
  const { currentOrgId, orgs } = useSession();
  const oneOrg = currentOrgId !== null || orgs.length <= 1;
  const warehouses = useWarehouses(currentOrgId);
  const [sp, setSp] = useSearchParams();
  const view = (['detail', 'batch', 'product'].includes(sp.get('view') ?? '') ? sp.get('view') : 'product') as View;
  const detail = view === 'detail';
  const columns: ColumnsType<BalanceRow> = [
    { title: t('col.warehouse'), key: 'wh', width: 150, render: (_: unknown, r) => `${r.warehouseCode} ${r.warehouseName}` },
    ...(oneOrg ? [] : [{ title: t('col.org'), dataIndex: 'orgId', width: 140, render: (v: number) => orgLabel(v) }]),
    {
      title: t('col.productCode'),
      dataIndex: 'productCode',
      width: 110,
      render: (v: string, r) => <Link to={`/stock/ledger?productId=${r.productId}&warehouseId=${r.warehouseId}`}>{v}</Link>,
    },
    { title: t('col.productName'), dataIndex: 'productName', width: 220 },
    { title: t('col.spec'), dataIndex: 'productSpec', width: 100 },
    { title: t('col.unit'), dataIndex: 'unitName', width: 60 },
    ...(view !== 'product'
      ? [
          { title: t('col.batch'), dataIndex: 'batchNo', width: 110 },
          { title: t('col.lot'), dataIndex: 'lotNo', width: 100 },
        ]
      : []),
    { title: t('col.expiry'), dataIndex: 'expiryDate', width: 100, render: fmtDate },
    ...(detail
      ? [
          { title: t('col.shelf'), dataIndex: 'shelfCode', width: 80, render: (v: string | null) => v ?? t('shelf.none') },
          {
            title: t('col.status'),
            dataIndex: 'status',
            width: 80,
            render: (v: BalanceRow['status']) => (v ? t(`status.${v}`) : ''),
          },
        ]
      : []),
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
      dataIndex: 'value',
      align: 'right',
      width: 120,
      render: (v: string | undefined) => <span className="erp-num">{fmtMoney(v)}</span>,
    },
  ];
  return (
    <div>
      <PageHeader
        title={t('page.balances')}
        extra={
          <Space>
            <span>{t('view.label')}</span>
            <Segmented<View>
              value={view}
              onChange={(v) =>
                setSp(
                  (prev) => {
                    const n = new URLSearchParams(prev);
                    if (v === 'product') n.delete('view');
                    else n.set('view', v);
                    n.delete('page');
                    return n;
                  },
                  { replace: true },
                )
              }
              options={[
                { value: 'product', label: t('view.product') },
                { value: 'batch', label: t('view.batch') },
                { value: 'detail', label: t('view.detail') },
              ]}
            />
          </Space>
        }
      />
      <div className="erp-panel">
        <DataTable<BalanceRow>
          queryKey="stock-balances"
          url="/api/stock/balances"
          rowKey={(r) => `${r.warehouseId}-${r.productId}-${r.batchNo}-${r.lotNo}-${r.shelfId}-${r.status}`}
          params={{ orgId: currentOrgId ?? undefined, groupBy: groupByOf[view] }}
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
            { name: 'negativeOnly', label: t('filter.negativeOnly'), type: 'switch' },
          ]}
          exportUrl="/api/stock/balances/export"
          exportGrant="stock:export"
        />
      </div>
    </div>
  );
}
