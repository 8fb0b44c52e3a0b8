import { Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { fmtDate, fmtDecimal, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { WarehouseSelect } from '../../shared/selects';
import { useSession } from '../../shared/session';
import type { LedgerDetailEntry, LedgerDetailGroup } from './api';
import { useStatusLabel } from './common';
import './inventory.css';
import { LedgerSourceCell } from '../stock/LedgerSource';
import { m } from './messages';

const num = (v: string) => <span className="inv-num">{fmtDecimal(v)}</span>;
const amt = (v: string) => <span className="inv-num">{fmtMoney(v)}</span>;

/**
 * 收发存报表 (INV-3, 保管明细账 for a period): per warehouse and product the opening balance, what came in and
 * went out in the period and the closing balance, quantities and values; a row opens its ledger entries with
 * the running balance. Exported to Excel with the same filters.
 */
export default function PeriodReportPage() {
  const t = useT(m);
  const status = useStatusLabel();
  const { currentOrgId } = useSession();
  const [sp, setSp] = useSearchParams();
  const ready = !!sp.get('from') && !!sp.get('to');
  // The period defaults to this month so far.
  useEffect(() => {
    if (ready) return;
    setSp(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (!next.get('from')) next.set('from', dayjs().startOf('month').format('YYYY-MM-DD'));
        if (!next.get('to')) next.set('to', dayjs().format('YYYY-MM-DD'));
        return next;
      },
      { replace: true },
    );
  }, [ready, setSp]);

  const columns: ColumnsType<LedgerDetailGroup> = [
    { title: t('doc.warehouse'), key: 'wh', width: 130, render: (_: unknown, r) => `${r.warehouseCode} ${r.warehouseName}` },
    { title: t('report.product'), key: 'p', width: 240, render: (_: unknown, r) => `${r.productCode} ${r.productName}` },
    { title: t('report.opening'), dataIndex: 'openingQty', width: 90, align: 'right', render: num },
    { title: t('report.openingAmount'), dataIndex: 'openingAmount', width: 100, align: 'right', render: amt },
    { title: t('report.in'), dataIndex: 'inQty', width: 90, align: 'right', render: num },
    { title: t('report.inAmount'), dataIndex: 'inAmount', width: 100, align: 'right', render: amt },
    { title: t('report.out'), dataIndex: 'outQty', width: 90, align: 'right', render: num },
    { title: t('report.outAmount'), dataIndex: 'outAmount', width: 100, align: 'right', render: amt },
    { title: t('report.closing'), dataIndex: 'closingQty', width: 90, align: 'right', render: (v: string) => <b>{num(v)}</b> },
    { title: t('report.closingAmount'), dataIndex: 'closingAmount', width: 100, align: 'right', render: amt },
  ];
  const entryColumns: ColumnsType<LedgerDetailEntry> = [
    { title: t('doc.businessDate'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    {
      title: t('report.source'),
      key: 'src',
      width: 220,
      render: (_: unknown, e) => <LedgerSourceCell source={e.source} />,
    },
    {
      title: `${t('line.batch')}/${t('line.lot')}`,
      key: 'b',
      width: 140,
      render: (_: unknown, e) => [e.batchNo, e.lotNo].filter(Boolean).join('/'),
    },
    { title: t('line.status'), dataIndex: 'status', width: 70, render: (v: string) => status(v) },
    { title: t('report.in'), dataIndex: 'inQty', width: 80, align: 'right', render: num },
    { title: t('report.out'), dataIndex: 'outQty', width: 80, align: 'right', render: num },
    { title: t('line.cost'), dataIndex: 'unitCost', width: 90, align: 'right', render: (v: string) => fmtDecimal(v, 2) },
    { title: t('line.amount'), dataIndex: 'amount', width: 100, align: 'right', render: amt },
    { title: t('report.balance'), dataIndex: 'balanceQty', width: 90, align: 'right', render: num },
  ];
  return (
    <div>
      <PageHeader title={t('page.periodReport')} />
      {ready && (
        <DataTable<LedgerDetailGroup>
          queryKey="ledger-detail"
          url="/api/stock/ledger-detail"
          rowKey={(r) => `${r.warehouseId}-${r.productId}`}
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[
            { name: 'period', label: t('report.period'), type: 'dateRange', range: ['from', 'to'] },
            {
              name: 'warehouseId',
              label: t('doc.warehouse'),
              type: 'custom',
              numeric: true,
              render: () => <WarehouseSelect orgId={currentOrgId} style={{ width: 170 }} />,
            },
            { name: 'q', label: t('report.product'), placeholder: t('common.keywordHint'), width: 170 },
          ]}
          exportUrl="/api/stock/ledger-detail/export"
          exportGrant="stock:export"
          expandable={{
            expandedRowRender: (r) => (
              <Table<LedgerDetailEntry>
                size="small"
                rowKey="id"
                columns={entryColumns}
                dataSource={r.entries}
                pagination={false}
              />
            ),
            rowExpandable: (r) => r.entries.length > 0,
          }}
        />
      )}
    </div>
  );
}
