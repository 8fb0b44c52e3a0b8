import { dec, invoiceBody, money, SALE_STATUSES, saleStatusLabels, tenderMethodLabels } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Radio,
  Space,
  Spin,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, errorText } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { FormError } from '../../shared/FormError';
import { fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect, useProductNames } from '../../shared/ProductSelect';
import { useSession } from '../../shared/session';
import { m } from './messages';
import { PrintArea, printNow, type ReceiptData, ReceiptText } from './print';

interface JournalRow {
  id: number;
  storeId: number;
  storeCode: string;
  storeName: string;
  terminalCode: string;
  cashierId: number;
  cashierName: string;
  receiptNo: string;
  kind: 'sale' | 'return';
  status: 'temporary' | 'formal' | 'held' | 'void';
  businessDay: string;
  soldAt: string;
  gross: string;
  discount: string;
  rounding: string;
  total: string;
  cogs: string | null;
  tenders: string;
  offline: boolean;
  late: boolean;
  invoiceNo: string | null;
  invoiceAt: string | null;
  originalReceiptNo: string | null;
}

interface SaleDetail {
  id: number;
  storeId: number;
  receiptNo: string;
  kind: 'sale' | 'return';
  status: JournalRow['status'];
  businessDay: string;
  soldAt: string;
  gross: string;
  strategyDiscount: string;
  lineDiscount: string;
  saleDiscount: string;
  rounding: string;
  total: string;
  paid: string;
  change: string;
  cogs: string | null;
  offline: boolean;
  priceVariance: boolean;
  late: boolean;
  invoiceNo: string | null;
  invoiceAt: string | null;
  remarks: string | null;
  lines: {
    id: number;
    lineNo: number;
    productId: number;
    qty: string;
    basePrice: string;
    gross: string;
    amount: string;
    costAmount: string | null;
  }[];
  tenders: { seq: number; method: string; amount: string; tendered: string; change: string; reference: string | null }[];
}

function useTenderLabel() {
  const label = useLabel();
  return (method: string) => {
    const l = tenderMethodLabels[method as keyof typeof tenderMethodLabels];
    return l ? label(l) : method;
  };
}

function InvoiceForm({ sale, onSaved }: { sale: SaleDetail; onSaved: () => void }) {
  const t = useT(m);
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const zf = useZodForm(invoiceBody, form);
  return (
    <Form
      form={form}
      layout="inline"
      initialValues={{ invoiceNo: sale.invoiceNo ?? '', invoiceAt: sale.invoiceAt ? dayjs(sale.invoiceAt) : dayjs() }}
      onFinish={(v) =>
        zf.submit(
          { invoiceNo: v.invoiceNo, invoiceAt: v.invoiceAt ? dayjs(v.invoiceAt).toISOString() : undefined },
          async (cmd) => {
            await api.put(`/api/pos/sales/${sale.id}/invoice`, cmd);
            message.success(t('jr.invoiceSaved'));
            onSaved();
          },
        )
      }
    >
      <FormError error={zf.error} />
      <Form.Item name="invoiceNo" label={t('jr.invoiceNo')} rules={zf.rules('invoiceNo')}>
        <Input style={{ width: 180 }} data-testid="invoice-no" />
      </Form.Item>
      <Form.Item name="invoiceAt" label={t('jr.invoiceAt')}>
        <DatePicker showTime />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={zf.submitting} data-testid="invoice-save">
          {t('jr.recordInvoice')}
        </Button>
      </Form.Item>
    </Form>
  );
}

function SaleDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const t = useT(m);
  const label = useLabel();
  const tender = useTenderLabel();
  const { can } = useSession();
  const qc = useQueryClient();
  const [width, setWidth] = useState<58 | 80>(80);
  const [printing, setPrinting] = useState(false);
  const q = useQuery({
    queryKey: ['pos', 'sale', id],
    queryFn: () => api.get<SaleDetail>(`/api/pos/sales/${id}`),
    enabled: id !== null,
  });
  const receipt = useQuery({
    queryKey: ['pos', 'receipt', id, width],
    queryFn: () => api.get<ReceiptData>(`/api/pos/sales/${id}/receipt`, { width }),
    enabled: id !== null,
  });
  const names = useProductNames(q.data?.lines.map((l) => l.productId) ?? [], !!q.data);
  const s = q.data;
  return (
    <Drawer open={id !== null} onClose={onClose} size={860} title={s ? `${t('jr.detail')} · ${s.receiptNo}` : t('jr.detail')}>
      {!s ? (
        <Spin />
      ) : (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={3}>
            <Descriptions.Item label={t('jr.kind')}>{t(`jr.kind.${s.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('jr.status')}>{label(saleStatusLabels[s.status])}</Descriptions.Item>
            <Descriptions.Item label={t('jr.day')}>{s.businessDay}</Descriptions.Item>
            <Descriptions.Item label={t('jr.time')}>{fmtDateTime(s.soldAt)}</Descriptions.Item>
            <Descriptions.Item label={t('jr.gross')}>{fmtMoney(s.gross)}</Descriptions.Item>
            <Descriptions.Item label={t('jr.total')}>
              <strong>{fmtMoney(s.total)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('jr.cogs')}>{s.cogs ? fmtMoney(s.cogs) : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('jr.offline')}>{s.offline ? t('common.yes') : t('common.no')}</Descriptions.Item>
            {s.late && (
              <Descriptions.Item label={t('jr.late')}>
                <Tag color="orange">{t('jr.lateHint')}</Tag>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('jr.invoiceNo')}>{s.invoiceNo ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            bordered
            rowKey="id"
            pagination={false}
            dataSource={s.lines}
            columns={[
              { title: '#', dataIndex: 'lineNo', width: 50 },
              { title: t('jr.product'), dataIndex: 'productId', render: (v: number) => names.get(v) ?? `#${v}` },
              { title: t('jr.qty'), dataIndex: 'qty', align: 'right', render: (v: string) => fmtDecimal(v) },
              { title: t('jr.price'), dataIndex: 'basePrice', align: 'right', render: (v: string) => fmtMoney(v) },
              {
                title: t('jr.lineDiscount'),
                key: 'd',
                align: 'right',
                render: (_: unknown, l: SaleDetail['lines'][number]) => fmtMoney(money(dec(l.gross).minus(l.amount))),
              },
              { title: t('jr.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => fmtMoney(v) },
              {
                title: t('jr.cogs'),
                dataIndex: 'costAmount',
                align: 'right',
                render: (v: string | null) => (v ? fmtMoney(v) : '—'),
              },
            ]}
          />
          <Table
            size="small"
            bordered
            rowKey="seq"
            pagination={false}
            dataSource={s.tenders}
            columns={[
              { title: t('jr.tenders'), dataIndex: 'method', render: (v: string) => tender(v) },
              { title: t('jr.amount'), dataIndex: 'tendered', align: 'right', render: (v: string) => fmtMoney(v) },
              { title: t('shift.net'), dataIndex: 'amount', align: 'right', render: (v: string) => fmtMoney(v) },
              { title: t('jr.reference'), dataIndex: 'reference', render: (v: string | null) => v ?? '' },
            ]}
          />
          {can('pos.sale:edit') && s.status === 'formal' && (
            <div>
              <Typography.Title level={5}>{t('jr.invoice')}</Typography.Title>
              <InvoiceForm
                sale={s}
                onSaved={() => {
                  void qc.invalidateQueries({ queryKey: ['pos', 'sale', id] });
                  void qc.invalidateQueries({ queryKey: ['list', 'pos-journal'] });
                }}
              />
            </div>
          )}
          <div>
            <Space>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('jr.reprint')}
              </Typography.Title>
              <Radio.Group
                size="small"
                value={width}
                onChange={(e) => setWidth(e.target.value)}
                options={[
                  { value: 58, label: '58 mm' },
                  { value: 80, label: '80 mm' },
                ]}
              />
              <Button
                onClick={() => {
                  setPrinting(true);
                  printNow();
                }}
                disabled={!receipt.data}
                data-testid="journal-reprint"
              >
                {t('jr.reprint')}
              </Button>
            </Space>
            <div className="bo-receipt-preview" style={{ marginTop: 8 }}>
              {receipt.data && <ReceiptText data={receipt.data} />}
            </div>
            {printing && receipt.data && (
              <PrintArea>
                <ReceiptText data={receipt.data} />
              </PrintArea>
            )}
          </div>
        </Space>
      )}
    </Drawer>
  );
}

/**
 * The journal opens at the business day (POS-11): with no period in the address, the period becomes the
 * store's open business day (today across stores) before the list is first asked for. Newest first is the
 * server's order unless a column is sorted.
 */
function useOpenAtBusinessDay(storeId: number | undefined) {
  const [sp, setSp] = useSearchParams();
  const needsDay = !sp.has('from') && !sp.has('to');
  const day = useQuery({
    queryKey: ['pos', 'journal-day', storeId ?? null],
    queryFn: () => api.get<{ day: string }>('/api/pos/journal/business-day', storeId ? { storeId } : undefined),
    enabled: needsDay,
  });
  useEffect(() => {
    if (!needsDay || !day.data) return;
    const d = day.data.day;
    setSp(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('from', d);
        next.set('to', d);
        return next;
      },
      { replace: true },
    );
  }, [needsDay, day.data, setSp]);
  return { waiting: needsDay && !day.isError, error: day.isError ? day.error : null };
}

export default function JournalPage() {
  const t = useT(m);
  const label = useLabel();
  const tender = useTenderLabel();
  const { orgs, currentOrgId } = useSession();
  const [open, setOpen] = useState<number | null>(null);
  const stores = orgs.filter((o) => o.kind === 'store');
  const currentStore = currentOrgId && stores.some((s) => s.id === currentOrgId) ? currentOrgId : undefined;
  const opening = useOpenAtBusinessDay(currentStore);
  const columns: ColumnsType<JournalRow> = [
    {
      title: t('jr.receiptNo'),
      dataIndex: 'receiptNo',
      key: 'receiptNo',
      sorter: true,
      width: 240,
      render: (v: string, r) => (
        <Space size={4}>
          <Typography.Link onClick={() => setOpen(r.id)} data-testid="journal-receipt">
            {v}
          </Typography.Link>
          {/* A late sale is marked where the eye starts: it was booked on a later day than it was made. */}
          {r.late && (
            <Tooltip title={t('jr.lateHint')}>
              <Tag color="orange" data-testid="journal-late">
                {t('jr.late')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    { title: t('common.store'), key: 'store', width: 140, render: (_, r) => `${r.storeCode} ${r.storeName}` },
    { title: t('jr.day'), dataIndex: 'businessDay', width: 105 },
    { title: t('jr.time'), dataIndex: 'soldAt', key: 'soldAt', sorter: true, width: 160, render: fmtDateTime },
    {
      title: t('jr.kind'),
      dataIndex: 'kind',
      width: 70,
      render: (v: JournalRow['kind']) => <Tag color={v === 'return' ? 'volcano' : 'blue'}>{t(`jr.kind.${v}`)}</Tag>,
    },
    { title: t('jr.status'), dataIndex: 'status', width: 80, render: (v: JournalRow['status']) => label(saleStatusLabels[v]) },
    { title: t('common.terminal'), dataIndex: 'terminalCode', width: 100 },
    { title: t('common.cashier'), dataIndex: 'cashierName', width: 120 },
    { title: t('jr.gross'), dataIndex: 'gross', align: 'right', width: 95, render: (v: string) => fmtMoney(v) },
    { title: t('jr.discount'), dataIndex: 'discount', align: 'right', width: 85, render: (v: string) => fmtMoney(v) },
    {
      title: t('jr.total'),
      dataIndex: 'total',
      key: 'total',
      sorter: true,
      align: 'right',
      width: 100,
      render: (v: string) => <strong>{fmtMoney(v)}</strong>,
    },
    {
      title: t('jr.tenders'),
      dataIndex: 'tenders',
      width: 200,
      render: (v: string) =>
        v
          .split(',')
          .filter(Boolean)
          .map((x) => {
            const [method, amount] = x.split(':');
            return `${tender(method ?? '')} ${fmtMoney(amount ?? '0')}`;
          })
          .join(' · '),
    },
    { title: t('jr.offline'), dataIndex: 'offline', width: 60, render: (v: boolean) => (v ? <Tag>{t('jr.offline')}</Tag> : '') },

    { title: t('jr.original'), dataIndex: 'originalReceiptNo', width: 170, render: (v: string | null) => v ?? '' },
    { title: t('jr.invoiceNo'), dataIndex: 'invoiceNo', width: 120, render: (v: string | null) => v ?? '' },
  ];
  return (
    <div>
      <PageHeader title={t('page.journal')} />
      <div className="erp-panel">
        {opening.error && <Alert type="error" showIcon title={errorText(opening.error)} style={{ marginBottom: 12 }} />}
        {opening.waiting ? (
          <Spin />
        ) : (
          <DataTable<JournalRow>
            queryKey="pos-journal"
            url="/api/pos/journal"
            rowKey="id"
            columns={columns}
            params={currentStore ? { storeId: currentStore } : undefined}
            filters={[
              ...(stores.length > 1 && !(currentOrgId && stores.some((s) => s.id === currentOrgId))
                ? [
                    {
                      name: 'storeId',
                      label: t('common.store'),
                      type: 'select' as const,
                      numeric: true,
                      width: 180,
                      options: stores.map((s) => ({ value: s.id, label: `${s.code} ${label(s)}` })),
                    },
                  ]
                : []),
              { name: 'period', label: t('jr.day'), type: 'dateRange', range: ['from', 'to'] },
              { name: 'receiptNo', label: t('jr.receiptNo'), width: 170 },
              {
                name: 'productId',
                label: t('jr.product'),
                type: 'custom',
                numeric: true,
                render: () => <ProductSelect style={{ width: 220 }} />,
              },
              {
                name: 'kind',
                label: t('jr.kind'),
                type: 'select',
                width: 100,
                options: [
                  { value: 'sale', label: t('jr.kind.sale') },
                  { value: 'return', label: t('jr.kind.return') },
                ],
              },
              {
                name: 'status',
                label: t('jr.status'),
                type: 'select',
                width: 110,
                options: SALE_STATUSES.map((s) => ({ value: s, label: label(saleStatusLabels[s]) })),
              },
              { name: 'late', label: t('jr.late'), type: 'switch' },
            ]}
            exportUrl="/api/pos/journal/export"
            exportGrant="pos.sale:export"
            exportName="retail-journal.xlsx"
            onRow={(r) => ({ onDoubleClick: () => setOpen(r.id) })}
          />
        )}
      </div>
      <SaleDrawer id={open} onClose={() => setOpen(null)} />
    </div>
  );
}
