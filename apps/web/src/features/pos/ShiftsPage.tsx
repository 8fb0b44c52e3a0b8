import { dec, tenderMethodLabels } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, DatePicker, Empty, Space, Spin, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, errorText } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { fmtDateTime, fmtMoney } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { m } from './messages';
import { StorePicker, useStoreId } from './stores';

interface ShiftRow {
  id: string;
  storeId: number;
  terminalCode: string;
  cashierLogin: string;
  cashierName: string;
  businessDay: string;
  openedAt: string;
  float: string;
  status: 'open' | 'handed_over';
  offline: boolean;
  handedOverAt: string | null;
  expectedCash: string | null;
  deposit: string | null;
  overShort: string | null;
}

interface Reconciliation {
  cashiers: {
    cashierId: number;
    login: string;
    name: string;
    tenders: { method: string; sales: string; refunds: string; net: string }[];
    net: string;
    shifts: number;
    openShifts: number;
    expectedCash: string;
    deposited: string;
    overShort: string;
  }[];
  byTender: { method: string; sales: string; refunds: string; net: string }[];
}

function signed(v: string | null) {
  if (v === null) return '—';
  const n = dec(v);
  return <span style={{ color: n.isNegative() ? '#cf1322' : n.isZero() ? undefined : '#d48806' }}>{fmtMoney(v)}</span>;
}

function ReconciliationView({ storeId }: { storeId: number }) {
  const t = useT(m);
  const label = useLabel();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs()]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const q = useQuery({
    queryKey: ['pos', 'reconciliation', storeId, from, to],
    queryFn: () => api.get<Reconciliation>('/api/pos/reconciliation', { storeId, from, to }),
  });
  const tender = (method: string) => {
    const l = tenderMethodLabels[method as keyof typeof tenderMethodLabels];
    return l ? label(l) : method;
  };
  const methods = [...new Set((q.data?.byTender ?? []).map((x) => x.method))];
  const columns: ColumnsType<Reconciliation['cashiers'][number]> = [
    { title: t('common.cashier'), key: 'c', render: (_, c) => `${c.login} ${c.name}` },
    ...methods.map((method) => ({
      title: tender(method),
      key: method,
      align: 'right' as const,
      render: (_: unknown, c: Reconciliation['cashiers'][number]) =>
        fmtMoney(c.tenders.find((x) => x.method === method)?.net ?? '0'),
    })),
    { title: t('shift.net'), dataIndex: 'net', align: 'right', render: (v: string) => <strong>{fmtMoney(v)}</strong> },
    { title: t('shift.shifts'), dataIndex: 'shifts', align: 'right' },
    { title: t('shift.openShifts'), dataIndex: 'openShifts', align: 'right' },
    { title: t('shift.expected'), dataIndex: 'expectedCash', align: 'right', render: (v: string) => fmtMoney(v) },
    { title: t('shift.deposit'), dataIndex: 'deposited', align: 'right', render: (v: string) => fmtMoney(v) },
    { title: t('shift.overShort'), dataIndex: 'overShort', align: 'right', render: signed },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <DatePicker.RangePicker value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} allowClear={false} />
      {q.isError && <Alert type="error" showIcon title={errorText(q.error)} />}
      {q.isLoading ? (
        <Spin />
      ) : (
        <>
          <Table
            size="small"
            bordered
            rowKey="cashierId"
            pagination={false}
            dataSource={q.data?.cashiers ?? []}
            columns={columns}
            data-testid="recon-table"
          />
          <Table
            size="small"
            bordered
            rowKey="method"
            pagination={false}
            title={() => t('shift.byTender')}
            dataSource={q.data?.byTender ?? []}
            columns={[
              { title: t('shift.method'), dataIndex: 'method', render: tender },
              { title: t('shift.sales'), dataIndex: 'sales', align: 'right', render: (v: string) => fmtMoney(v) },
              { title: t('shift.refunds'), dataIndex: 'refunds', align: 'right', render: (v: string) => fmtMoney(v) },
              { title: t('shift.net'), dataIndex: 'net', align: 'right', render: (v: string) => fmtMoney(v) },
            ]}
          />
        </>
      )}
    </Space>
  );
}

export default function ShiftsPage() {
  const t = useT(m);
  const [storeId, setStoreId] = useStoreId();
  const columns: ColumnsType<ShiftRow> = [
    { title: t('shift.day'), dataIndex: 'businessDay', width: 105 },
    { title: t('common.terminal'), dataIndex: 'terminalCode', width: 90 },
    {
      title: t('common.cashier'),
      key: 'c',
      // The name fits the row; the login (工号) is one hover away, so every column shows on a 1440 px screen.
      render: (_, r) => <span title={r.cashierLogin}>{r.cashierName}</span>,
    },
    { title: t('shift.openedAt'), dataIndex: 'openedAt', width: 150, render: fmtDateTime },
    { title: t('shift.float'), dataIndex: 'float', align: 'right', width: 90, render: (v: string) => fmtMoney(v) },
    {
      title: t('shift.status'),
      dataIndex: 'status',
      width: 96,
      render: (v: ShiftRow['status'], r) => (
        <Space size={4}>
          <Tag color={v === 'open' ? 'gold' : 'green'}>{t(`shift.status.${v}`)}</Tag>
          {r.offline && <Tag>{t('shift.offline')}</Tag>}
        </Space>
      ),
    },
    { title: t('shift.handedOverAt'), dataIndex: 'handedOverAt', width: 150, render: fmtDateTime },
    {
      title: t('shift.expected'),
      dataIndex: 'expectedCash',
      align: 'right',
      width: 100,
      render: (v: string | null) => (v ? fmtMoney(v) : '—'),
    },
    {
      title: t('shift.deposit'),
      dataIndex: 'deposit',
      align: 'right',
      width: 100,
      render: (v: string | null) => (v ? fmtMoney(v) : '—'),
    },
    { title: t('shift.overShort'), dataIndex: 'overShort', align: 'right', width: 100, render: signed },
  ];
  return (
    <div>
      <PageHeader title={t('page.shifts')} extra={<StorePicker value={storeId} onChange={setStoreId} />} />
      <div className="erp-panel">
        <Tabs
          items={[
            {
              key: 'shifts',
              label: t('shift.list'),
              children: (
                <DataTable<ShiftRow>
                  queryKey="pos-shifts"
                  url="/api/pos/shifts"
                  rowKey="id"
                  columns={columns}
                  params={storeId ? { storeId } : undefined}
                  filters={[
                    { name: 'period', label: t('shift.day'), type: 'dateRange', range: ['from', 'to'] },
                    {
                      name: 'status',
                      label: t('shift.status'),
                      type: 'select',
                      width: 120,
                      options: [
                        { value: 'open', label: t('shift.status.open') },
                        { value: 'handed_over', label: t('shift.status.handed_over') },
                      ],
                    },
                  ]}
                />
              ),
            },
            {
              key: 'recon',
              label: t('shift.recon'),
              children: storeId ? <ReconciliationView storeId={storeId} /> : <Empty description={t('common.pickStore')} />,
            },
          ]}
        />
      </div>
    </div>
  );
}
