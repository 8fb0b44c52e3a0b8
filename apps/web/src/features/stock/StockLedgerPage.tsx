import type { LedgerSource, Wire } from '@erp/contracts';
import type { ColumnsType } from 'antd/es/table';
import { DataTable } from '../../shared/DataTable';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect } from '../../shared/ProductSelect';
import { useWarehouses } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { LedgerSourceNumber, useLedgerSourceLabel } from './LedgerSource';
import { m } from './messages';

interface LedgerRow {
  id: number;
  businessDate: string;
  warehouseId: number;
  productId: number;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  shelfId: number | null;
  status: 'sellable' | 'unsellable' | 'pending_check';
  qty: string;
  unitCost: string;
  amount: string;
  sourceType: string;
  sourceId: number | null;
  sourceLineId: number | null;
  /** The document or till receipt, named and labelled by the server. */
  source: Wire<LedgerSource>;
  createdAt: string;
}

export default function StockLedgerPage() {
  const t = useT(m);
  const { currentOrgId } = useSession();
  const warehouses = useWarehouses(currentOrgId);
  const sourceLabel = useLedgerSourceLabel();
  const whName = (id: number) => {
    const w = warehouses.data?.find((x) => x.id === id);
    return w ? `${w.code} ${w.name}` : `#${id}`;
  };
  // The figures (quantity, cost, amount) come right after what identifies the row, so they are on screen at
  // 1440 px without scrolling sideways; the warehouse, batch and status (often one value per filter) follow.
  const columns: ColumnsType<LedgerRow> = [
    { title: t('col.date'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    { title: t('col.sourceType'), key: 'sourceType', width: 100, render: (_: unknown, r) => sourceLabel(r.source) },
    {
      title: t('col.source'),
      key: 'source',
      width: 190,
      render: (_: unknown, r) => <LedgerSourceNumber source={r.source} />,
    },
    { title: t('col.productCode'), dataIndex: 'productCode', width: 110 },
    { title: t('col.productName'), dataIndex: 'productName', width: 180 },
    { title: t('col.lot'), dataIndex: 'lotNo', width: 100 },
    { title: t('col.expiry'), dataIndex: 'expiryDate', width: 100, render: fmtDate },
    {
      title: t('col.qty'),
      dataIndex: 'qty',
      align: 'right',
      width: 90,
      render: (v: string) => (
        <span className="erp-num" style={{ color: v.startsWith('-') ? '#cf1322' : '#389e0d' }}>
          {v.startsWith('-') ? '' : '+'}
          {fmtDecimal(v)}
        </span>
      ),
    },
    { title: t('col.unitCost'), dataIndex: 'unitCost', align: 'right', width: 90, render: (v: string) => fmtDecimal(v, 2) },
    { title: t('col.amount'), dataIndex: 'amount', align: 'right', width: 100, render: (v: string) => fmtMoney(v) },
    { title: t('col.batch'), dataIndex: 'batchNo', width: 90 },
    { title: t('col.status'), dataIndex: 'status', width: 80, render: (v: LedgerRow['status']) => t(`status.${v}`) },
    { title: t('col.warehouse'), dataIndex: 'warehouseId', width: 150, render: (v: number) => whName(v) },
    { title: t('col.time'), dataIndex: 'createdAt', width: 160, render: fmtDateTime },
  ];
  return (
    <div>
      <PageHeader title={t('page.ledger')} />
      <div className="erp-panel">
        <DataTable<LedgerRow>
          queryKey="stock-ledger"
          url="/api/stock/ledger"
          rowKey="id"
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[
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
              render: () => <ProductSelect style={{ width: 240 }} />,
            },
            { name: 'period', label: t('col.date'), type: 'dateRange', range: ['from', 'to'] },
          ]}
          exportUrl="/api/stock/ledger/export"
          exportGrant="stock:export"
        />
      </div>
    </div>
  );
}
