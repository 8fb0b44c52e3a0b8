import { DOC_TYPES, type LedgerSource, type Wire } from '@erp/contracts';
import { Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { DataTable, useListState } from '../../shared/DataTable';
import { useDocTypeLabel } from '../../shared/docs';
import { fmtDate, fmtDecimal, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect } from '../../shared/ProductSelect';
import { useWarehouses } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { LedgerSourceNumber, useLedgerSourceLabel } from './LedgerSource';
import { m } from './messages';

interface Row {
  ledgerId: number;
  businessDate: string;
  direction: 'in' | 'out';
  documentId: number | null;
  documentNumber: string | null;
  docType: string | null;
  source: Wire<LedgerSource>;
  warehouseCode: string;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  qty: string;
  unitCost: string;
  amount: string;
  reason: string | null;
}

/** 出入库单明细 (INV-3): ledger lines of posted documents over a period. */
export default function MovementsPage() {
  const t = useT(m);
  const typeLabel = useDocTypeLabel();
  const sourceLabel = useLedgerSourceLabel();
  const { currentOrgId } = useSession();
  const warehouses = useWarehouses(currentOrgId);
  const state = useListState();
  const hasPeriod = !!state.filters.from && !!state.filters.to;
  // The API needs a period: start with this month.
  useEffect(() => {
    if (!hasPeriod) state.update({ from: dayjs().startOf('month').format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') });
  }, [hasPeriod, state]);
  const columns: ColumnsType<Row> = [
    { title: t('col.date'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    {
      title: t('mv.direction'),
      dataIndex: 'direction',
      width: 70,
      render: (v: Row['direction']) => <Tag color={v === 'in' ? 'green' : 'volcano'}>{t(`mv.${v}`)}</Tag>,
    },
    {
      title: t('mv.document'),
      key: 'number',
      width: 200,
      render: (_: unknown, r) => <LedgerSourceNumber source={r.source} />,
    },
    { title: t('mv.type'), key: 'type', width: 110, render: (_: unknown, r) => sourceLabel(r.source) },
    { title: t('col.warehouse'), dataIndex: 'warehouseCode', width: 100 },
    { title: t('col.productCode'), dataIndex: 'productCode', width: 110 },
    { title: t('col.productName'), dataIndex: 'productName', width: 200 },
    { title: t('col.batch'), dataIndex: 'batchNo', width: 100 },
    { title: t('col.qty'), dataIndex: 'qty', width: 90, align: 'right', render: (v: string) => fmtDecimal(v) },
    { title: t('col.unitCost'), dataIndex: 'unitCost', width: 90, align: 'right', render: (v: string) => fmtDecimal(v, 2) },
    { title: t('col.amount'), dataIndex: 'amount', width: 100, align: 'right', render: (v: string) => fmtMoney(v) },
  ];
  const filters = [
    { name: 'period', label: t('col.date'), type: 'dateRange' as const, range: ['from', 'to'] as [string, string] },
    {
      name: 'direction',
      label: t('mv.direction'),
      type: 'select' as const,
      width: 90,
      options: [
        { value: 'in', label: t('mv.in') },
        { value: 'out', label: t('mv.out') },
      ],
    },
    {
      name: 'sourceType',
      label: t('mv.source'),
      type: 'select' as const,
      width: 120,
      options: (['document', 'pos_sale', 'all'] as const).map((v) => ({ value: v, label: t(`mv.source.${v}`) })),
    },
    {
      name: 'docType',
      label: t('mv.docType'),
      type: 'select' as const,
      width: 140,
      options: DOC_TYPES.map((d) => ({ value: d, label: typeLabel(d) })),
    },
    {
      name: 'warehouseId',
      label: t('col.warehouse'),
      type: 'select' as const,
      width: 160,
      options: (warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` })),
    },
    {
      name: 'productId',
      label: t('filter.product'),
      type: 'custom' as const,
      numeric: true,
      render: () => <ProductSelect style={{ width: 220 }} />,
    },
  ];
  return (
    <div>
      <PageHeader title={t('page.movements')} />
      <div className="erp-panel">
        {hasPeriod && (
          <DataTable<Row>
            queryKey="movements"
            url="/api/stock/movements"
            rowKey="ledgerId"
            params={{ orgId: currentOrgId ?? undefined }}
            columns={columns}
            filters={filters}
            exportUrl="/api/stock/movements/export"
            exportGrant="stock:export"
          />
        )}
      </div>
    </div>
  );
}
