import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { TENDER_METHODS, tenderMethodLabels } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Input, Modal, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, errorText } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { fmtDateTime, fmtMoney } from '../../shared/format';
import { useLabel, useLocale, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect, useProductNames } from '../../shared/ProductSelect';
import { useSession } from '../../shared/session';
import { m } from './messages';
import { StorePicker, useStoreId } from './stores';

interface Line {
  productId: number;
  qty: string;
  unitPrice?: string;
  discount?: { kind: string; value: string };
  barcode?: string;
  lotNo?: string;
}
interface Tender {
  method: 'cash' | 'bank_card' | 'mobile';
  amount: string;
  reference?: string;
  paymentIntentId?: string;
}

interface UploadError {
  id: number;
  storeId: number;
  terminalId: number;
  clientId: string;
  receiptNo: string;
  payload: {
    soldAt: string;
    cashierId: number;
    lines: Line[];
    tenders: Tender[];
    saleDiscount?: { kind: string; value: string };
    remarks?: string;
  };
  errorCode: string;
  messages: { 'zh-CN': string; en: string };
  status: 'open' | 'resolved' | 'discarded';
  attempts: number;
  saleId: number | null;
  resolution: string | null;
  saleDay: string;
  deferredTo: string | null;
  deferredReason: string | null;
  cashNet: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A text the server could not store shows "�" (U+FFFD) where the character was (see the server's visibleText). */
const MARKED = /\ufffd/;
const hasMarks = (p: { lines: Line[]; tenders: Tender[]; remarks: string }) =>
  MARKED.test(p.remarks) ||
  p.lines.some((l) => MARKED.test(l.barcode ?? '') || MARKED.test(l.lotNo ?? '')) ||
  p.tenders.some((x) => MARKED.test(x.reference ?? ''));
/** An empty text field is left out of the sale rather than sent empty. */
const text = (v: string) => (v === '' ? undefined : v);

const statusColor = { open: 'red', resolved: 'green', discarded: 'default' } as const;

function ErrorDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const t = useT(m);
  const label = useLabel();
  const { locale } = useLocale();
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['pos', 'upload-error', id],
    queryFn: () => api.get<UploadError>(`/api/pos/upload-errors/${id}`),
    enabled: id !== null,
  });
  const [lines, setLines] = useState<Line[]>([]);
  const [tenders, setTenders] = useState<Tender[]>([]);
  const [remarks, setRemarks] = useState('');
  const [busy, setBusy] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const names = useProductNames(
    lines.map((l) => l.productId),
    lines.length > 0,
  );
  useEffect(() => {
    if (q.data) {
      setLines(q.data.payload.lines.map((l) => ({ ...l })));
      setTenders(q.data.payload.tenders.map((x) => ({ ...x })));
      setRemarks(q.data.payload.remarks ?? '');
      setResult(null);
    }
  }, [q.data]);
  const e = q.data;
  const editable = e?.status === 'open' && can('pos.upload:edit');
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['pos', 'upload-error', id] });
    await qc.invalidateQueries({ queryKey: ['list', 'pos-upload-errors'] });
  };
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
      await refresh();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  // The text fields go with the edit: a sale refused for what a text held is fixed here.
  const edited = () => ({ lines, tenders, remarks });
  const save = () =>
    run(async () => {
      await api.put(`/api/pos/upload-errors/${id}`, edited());
      message.success(t('up.saved'));
    });
  const retry = () =>
    run(async () => {
      if (editable) await api.put(`/api/pos/upload-errors/${id}`, edited());
      const r = await api.post<{ result: { result: string; error?: { messages: { 'zh-CN': string; en: string } } } }>(
        `/api/pos/upload-errors/${id}/retry`,
      );
      const text =
        r.result.result === 'queued'
          ? t('up.retried.queued', { msg: r.result.error?.messages[locale] ?? '' })
          : t('up.retried.accepted');
      setResult(text);
      if (r.result.result === 'queued') message.warning(text);
      else message.success(text);
    });
  const discard = () =>
    run(async () => {
      await api.post(`/api/pos/upload-errors/${id}/discard`, { reason });
      setDiscarding(false);
      setReason('');
    });
  const tenderLabel = (method: string) =>
    label(tenderMethodLabels[method as keyof typeof tenderMethodLabels] ?? { zh: method, en: method });
  return (
    <Drawer open={id !== null} onClose={onClose} size={880} title={e ? `${t('page.uploadErrors')} · ${e.receiptNo}` : ''}>
      {!e ? (
        <Spin />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Alert type={e.status === 'open' ? 'error' : 'info'} showIcon title={e.messages[locale]} description={e.errorCode} />
          {result && <Alert type="info" showIcon title={result} />}
          {editable && hasMarks({ lines, tenders, remarks }) && (
            <Alert type="warning" showIcon title={t('up.textHint')} data-testid="uperr-marked" />
          )}
          {e.deferredTo && (
            <Alert type="info" showIcon title={t('up.deferredNote', { day: e.deferredTo, reason: e.deferredReason ?? '' })} />
          )}
          <Descriptions size="small" bordered column={3}>
            <Descriptions.Item label={t('up.status')}>
              <Tag color={statusColor[e.status]}>{t(`up.status.${e.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('up.attempts')}>{e.attempts}</Descriptions.Item>
            <Descriptions.Item label={t('up.soldAt')}>{fmtDateTime(e.payload.soldAt)}</Descriptions.Item>
            <Descriptions.Item label={t('up.createdAt')}>{fmtDateTime(e.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('up.saleDay')}>{e.saleDay}</Descriptions.Item>
            <Descriptions.Item label={t('up.cash')} span="filled">
              {e.cashNet === null ? '—' : fmtMoney(e.cashNet)}
            </Descriptions.Item>
            <Descriptions.Item label={t('up.clientId')} span={3}>
              <Typography.Text code>{e.clientId}</Typography.Text>
            </Descriptions.Item>
            {e.resolution && (
              <Descriptions.Item label={t('common.reason')} span={3}>
                {e.resolution}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('up.remarks')} span={3}>
              {editable ? (
                <Input
                  value={remarks}
                  onChange={(ev) => setRemarks(ev.target.value)}
                  maxLength={200}
                  data-testid="uperr-remarks"
                />
              ) : (
                remarks
              )}
            </Descriptions.Item>
          </Descriptions>
          <Table<Line & { i: number }>
            title={() => t('up.lines')}
            size="small"
            bordered
            pagination={false}
            rowKey="i"
            dataSource={lines.map((l, i) => ({ ...l, i }))}
            columns={[
              {
                title: t('jr.product'),
                dataIndex: 'productId',
                render: (v: number, r) =>
                  editable ? (
                    <ProductSelect
                      value={v}
                      onChange={(p) => p && setLines(lines.map((x, j) => (j === r.i ? { ...x, productId: p } : x)))}
                      style={{ width: 280 }}
                    />
                  ) : (
                    (names.get(v) ?? `#${v}`)
                  ),
              },
              {
                title: t('jr.qty'),
                dataIndex: 'qty',
                width: 120,
                render: (v: string, r) =>
                  editable ? (
                    <Input
                      value={v}
                      onChange={(ev) => setLines(lines.map((x, j) => (j === r.i ? { ...x, qty: ev.target.value } : x)))}
                      data-testid="uperr-qty"
                    />
                  ) : (
                    v
                  ),
              },
              {
                title: t('jr.price'),
                dataIndex: 'unitPrice',
                width: 120,
                render: (v: string | undefined, r) =>
                  editable ? (
                    <Input
                      value={v ?? ''}
                      onChange={(ev) =>
                        setLines(lines.map((x, j) => (j === r.i ? { ...x, unitPrice: ev.target.value || undefined } : x)))
                      }
                    />
                  ) : (
                    (v ?? '')
                  ),
              },
              {
                title: t('up.barcode'),
                dataIndex: 'barcode',
                width: 150,
                render: (v: string | undefined, r) =>
                  editable ? (
                    <Input
                      value={v ?? ''}
                      onChange={(ev) => setLines(lines.map((x, j) => (j === r.i ? { ...x, barcode: text(ev.target.value) } : x)))}
                    />
                  ) : (
                    (v ?? '')
                  ),
              },
              {
                title: t('up.lot'),
                dataIndex: 'lotNo',
                width: 120,
                render: (v: string | undefined, r) =>
                  editable ? (
                    <Input
                      value={v ?? ''}
                      onChange={(ev) => setLines(lines.map((x, j) => (j === r.i ? { ...x, lotNo: text(ev.target.value) } : x)))}
                    />
                  ) : (
                    (v ?? '')
                  ),
              },
              ...(editable
                ? [
                    {
                      key: 'del',
                      width: 50,
                      render: (_: unknown, r: Line & { i: number }) => (
                        <Button
                          size="small"
                          icon={<DeleteOutlined />}
                          disabled={lines.length < 2}
                          onClick={() => setLines(lines.filter((_x, j) => j !== r.i))}
                        />
                      ),
                    },
                  ]
                : []),
            ]}
            footer={
              editable
                ? () => (
                    <Button
                      size="small"
                      icon={<PlusOutlined />}
                      onClick={() => setLines([...lines, { productId: lines[0]?.productId ?? 0, qty: '1' }])}
                    >
                      {t('up.addLine')}
                    </Button>
                  )
                : undefined
            }
          />
          <Table<Tender & { i: number }>
            title={() => t('up.tenders')}
            size="small"
            bordered
            pagination={false}
            rowKey="i"
            dataSource={tenders.map((x, i) => ({ ...x, i }))}
            columns={[
              {
                title: t('up.method'),
                dataIndex: 'method',
                width: 160,
                render: (v: Tender['method'], r) =>
                  editable && !r.paymentIntentId ? (
                    <Select
                      value={v}
                      style={{ width: 140 }}
                      options={TENDER_METHODS.filter((x) => x !== 'mobile').map((x) => ({ value: x, label: tenderLabel(x) }))}
                      onChange={(method) => setTenders(tenders.map((x, j) => (j === r.i ? { ...x, method } : x)))}
                    />
                  ) : (
                    tenderLabel(v)
                  ),
              },
              {
                title: t('jr.amount'),
                dataIndex: 'amount',
                render: (v: string, r) =>
                  editable && !r.paymentIntentId ? (
                    <Input
                      value={v}
                      style={{ width: 140 }}
                      onChange={(ev) => setTenders(tenders.map((x, j) => (j === r.i ? { ...x, amount: ev.target.value } : x)))}
                    />
                  ) : (
                    fmtMoney(v)
                  ),
              },
              {
                title: t('jr.reference'),
                dataIndex: 'reference',
                render: (v: string | undefined, r) =>
                  editable ? (
                    <Input
                      value={v ?? ''}
                      style={{ width: 200 }}
                      onChange={(ev) =>
                        setTenders(tenders.map((x, j) => (j === r.i ? { ...x, reference: text(ev.target.value) } : x)))
                      }
                      data-testid="uperr-reference"
                    />
                  ) : (
                    (v ?? '')
                  ),
              },
            ]}
          />
          <Space>
            {editable && (
              <Button onClick={save} loading={busy}>
                {t('common.save')}
              </Button>
            )}
            {e.status === 'open' && can('pos.upload:manage') && (
              <>
                <Button type="primary" onClick={retry} loading={busy} data-testid="uperr-retry">
                  {editable ? t('up.edit') : t('up.retry')}
                </Button>
                <Button danger onClick={() => setDiscarding(true)} disabled={busy}>
                  {t('up.discard')}
                </Button>
              </>
            )}
          </Space>
        </Space>
      )}
      <Modal
        open={discarding}
        title={t('up.discard')}
        onCancel={() => setDiscarding(false)}
        onOk={discard}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: busy }}
      >
        <p>{t('up.discardHint')}</p>
        <Input.TextArea rows={3} value={reason} onChange={(ev) => setReason(ev.target.value)} maxLength={200} />
      </Modal>
    </Drawer>
  );
}

export default function UploadErrorsPage() {
  const t = useT(m);
  const { locale } = useLocale();
  const [storeId, setStoreId] = useStoreId();
  const [sp] = useSearchParams();
  // ?error=<id> (a link from the daily close) opens that error.
  const [open, setOpen] = useState<number | null>(Number(sp.get('error') ?? '') || null);
  const columns: ColumnsType<UploadError> = [
    {
      title: t('up.receiptNo'),
      dataIndex: 'receiptNo',
      width: 190,
      render: (v: string, r) => (
        <Typography.Link onClick={() => setOpen(r.id)} data-testid="uperr-open">
          {v}
        </Typography.Link>
      ),
    },
    {
      title: t('up.status'),
      dataIndex: 'status',
      width: 90,
      render: (v: UploadError['status']) => <Tag color={statusColor[v]}>{t(`up.status.${v}`)}</Tag>,
    },
    { title: t('up.error'), key: 'err', render: (_, r) => r.messages[locale] },
    { title: t('up.soldAt'), key: 'soldAt', width: 160, render: (_, r) => fmtDateTime(r.payload.soldAt) },
    { title: t('up.saleDay'), dataIndex: 'saleDay', width: 110 },
    { title: t('up.deferredTo'), dataIndex: 'deferredTo', width: 110, render: (v: string | null) => v ?? '' },
    { title: t('up.attempts'), dataIndex: 'attempts', width: 70, align: 'right' },
    { title: t('up.createdAt'), dataIndex: 'createdAt', width: 160, render: fmtDateTime },
  ];
  return (
    <div>
      <PageHeader title={t('page.uploadErrors')} extra={<StorePicker value={storeId} onChange={setStoreId} />} />
      <div className="erp-panel">
        <DataTable<UploadError>
          queryKey="pos-upload-errors"
          url="/api/pos/upload-errors"
          rowKey="id"
          columns={columns}
          params={storeId ? { storeId } : undefined}
          filters={[
            {
              name: 'status',
              label: t('up.status'),
              type: 'select',
              width: 120,
              options: (['open', 'resolved', 'discarded'] as const).map((s) => ({ value: s, label: t(`up.status.${s}`) })),
            },
          ]}
          onRow={(r) => ({ onDoubleClick: () => setOpen(r.id) })}
        />
      </div>
      <ErrorDrawer id={open} onClose={() => setOpen(null)} />
    </div>
  );
}
