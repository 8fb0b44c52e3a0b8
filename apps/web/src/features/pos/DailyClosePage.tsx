import { type DailyReport, tenderMethodLabels } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Input,
  Modal,
  Popconfirm,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, errorText } from '../../shared/api';
import { fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useLabel, useLocale, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { m } from './messages';
import { StorePicker, useStoreId } from './stores';

/** An open upload error as the day's status lists it (a paid sale not yet booked). */
interface OpenUploadError {
  id: number;
  terminalId: number;
  receiptNo: string;
  errorCode: string;
  messages: { 'zh-CN': string; en: string };
  saleDay: string;
  deferredTo: string | null;
  cashNet: string | null;
  blocksClose: boolean;
  createdAt: string;
}

interface DayStatus {
  storeId: number;
  today: string;
  lastClosed: string | null;
  closableDay: string | null;
  reopenableDay: string | null;
  uploadErrors: OpenUploadError[];
  closeBlockedBy: number;
  pending: Record<
    'temporarySales' | 'heldSales' | 'openShifts' | 'uploadErrors' | 'unresolvedPayments' | 'awaitingReview',
    number
  >;
}

interface ReportAnswer {
  closed: boolean;
  closedAt: string | null;
  reopenedAt: string | null;
  report: DailyReport;
}

export function ReportView({ answer }: { answer: ReportAnswer }) {
  const t = useT(m);
  const label = useLabel();
  const r = answer.report;
  const tender = (method: string) => {
    const l = tenderMethodLabels[method as keyof typeof tenderMethodLabels];
    return l ? label(l) : method;
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="daily-report">
      <Space>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('day.report')} · {r.storeCode} {r.storeName} · {r.day}
        </Typography.Title>
        {answer.closed ? <Tag color="green">{fmtDateTime(answer.closedAt)}</Tag> : <Tag color="gold">{t('day.preview')}</Tag>}
      </Space>
      <Row gutter={16}>
        <Col span={6}>
          <Statistic title={`${t('day.sales')} (${r.sales.count})`} value={fmtMoney(r.sales.amount)} />
        </Col>
        <Col span={6}>
          <Statistic title={`${t('day.returns')} (${r.returns.count})`} value={fmtMoney(r.returns.amount)} />
        </Col>
        <Col span={6}>
          <Statistic title={t('day.net')} value={fmtMoney(r.net.amount)} data-testid="report-net" />
        </Col>
        <Col span={6}>
          <Statistic
            title={t('day.margin')}
            value={fmtMoney(r.net.grossMargin)}
            suffix={r.net.marginRate ? `(${fmtDecimal(r.net.marginRate, 1)}%)` : ''}
          />
        </Col>
      </Row>
      <Descriptions size="small" column={4} bordered>
        <Descriptions.Item label={t('day.discounts')}>{fmtMoney(r.discounts.total)}</Descriptions.Item>
        <Descriptions.Item label={t('day.rounding')}>{fmtMoney(r.discounts.rounding)}</Descriptions.Item>
        <Descriptions.Item label={t('day.cogs')}>{fmtMoney(r.net.cogs)}</Descriptions.Item>
        <Descriptions.Item label={t('jr.offline')}>
          {t('day.offline', { n: r.offlineSales, v: r.priceVarianceSales })}
        </Descriptions.Item>
        <Descriptions.Item label={t('jr.late')}>
          <span data-testid="report-late">{t('day.late', { n: r.lateSales ?? 0 })}</span>
        </Descriptions.Item>
        {r.stockExceptions && (
          <Descriptions.Item label={t('day.stockExceptions')} span={2}>
            <Link to="/inventory/exceptions?status=open" data-testid="report-stock-exceptions">
              {t('day.stockExceptionsText', {
                debts: r.stockExceptions.stockDebts,
                qty: fmtDecimal(r.stockExceptions.stockDebtQty),
                expired: r.stockExceptions.expiredSold,
                open: r.stockExceptions.open,
              })}
            </Link>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Row gutter={16}>
        <Col span={10}>
          <Table
            title={() => t('day.byTender')}
            size="small"
            bordered
            pagination={false}
            rowKey="method"
            dataSource={r.byTender}
            columns={[
              { title: t('shift.method'), dataIndex: 'method', render: tender },
              { title: t('shift.sales'), dataIndex: 'sales', align: 'right', render: (v: string) => fmtMoney(v) },
              { title: t('shift.refunds'), dataIndex: 'refunds', align: 'right', render: (v: string) => fmtMoney(v) },
              { title: t('shift.net'), dataIndex: 'net', align: 'right', render: (v: string) => fmtMoney(v) },
            ]}
          />
        </Col>
        <Col span={14}>
          <Table
            title={() => t('day.byCashier')}
            size="small"
            bordered
            pagination={false}
            rowKey="cashierId"
            dataSource={r.byCashier}
            columns={[
              { title: t('common.cashier'), key: 'c', render: (_: unknown, c) => `${c.login} ${c.name}` },
              { title: t('day.count'), dataIndex: 'sales', align: 'right' },
              { title: t('day.sales'), dataIndex: 'amount', align: 'right', render: (v: string) => fmtMoney(v) },
              { title: t('day.returns'), dataIndex: 'refunds', align: 'right', render: (v: string) => fmtMoney(v) },
              { title: t('shift.net'), dataIndex: 'net', align: 'right', render: (v: string) => fmtMoney(v) },
            ]}
          />
        </Col>
      </Row>
      <Table
        title={() => t('day.byCategory')}
        size="small"
        bordered
        pagination={false}
        rowKey={(c) => String(c.categoryId)}
        dataSource={r.byCategory}
        columns={[
          {
            title: t('day.category'),
            key: 'c',
            render: (_: unknown, c) => (c.code ? `${c.code} ${c.name}` : t('day.uncategorized')),
          },
          { title: t('day.qty'), dataIndex: 'qty', align: 'right', render: (v: string) => fmtDecimal(v) },
          { title: t('day.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => fmtMoney(v) },
          { title: t('day.cogs'), dataIndex: 'cogs', align: 'right', render: (v: string) => fmtMoney(v) },
          { title: t('day.margin'), dataIndex: 'grossMargin', align: 'right', render: (v: string) => fmtMoney(v) },
        ]}
      />
      <Table
        title={() => t('shift.list')}
        size="small"
        bordered
        pagination={false}
        rowKey="id"
        dataSource={r.shifts}
        columns={[
          {
            title: t('common.cashier'),
            dataIndex: 'cashierId',
            render: (v: number) => r.byCashier.find((c) => c.cashierId === v)?.name ?? `#${v}`,
          },
          { title: t('shift.status'), dataIndex: 'status', render: (v: string) => t(`shift.status.${v as 'open'}`) },
          { title: t('shift.float'), dataIndex: 'float', align: 'right', render: (v: string) => fmtMoney(v) },
          {
            title: t('shift.expected'),
            dataIndex: 'expectedCash',
            align: 'right',
            render: (v: string | null) => (v ? fmtMoney(v) : '—'),
          },
          {
            title: t('shift.deposit'),
            dataIndex: 'deposit',
            align: 'right',
            render: (v: string | null) => (v ? fmtMoney(v) : '—'),
          },
          {
            title: t('shift.overShort'),
            dataIndex: 'overShort',
            align: 'right',
            render: (v: string | null) => (v ? fmtMoney(v) : '—'),
          },
        ]}
      />
    </Space>
  );
}

/**
 * The store's open upload errors beside the close (POS-8): paid sales not booked yet. Those of the day being
 * closed hold the close up; a supervisor fixes them (link to the queue) or moves them to the next business day.
 */
function UploadErrorsCard({ status, onChanged }: { status: DayStatus; onChanged: () => Promise<void> }) {
  const t = useT(m);
  const { locale } = useLocale();
  const { can } = useSession();
  const { message } = App.useApp();
  const [deferring, setDeferring] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const day = status.closableDay;
  const defer = async () => {
    if (!day) return;
    setBusy(true);
    try {
      const r = await api.post<{ toDay: string; moved: { id: number }[] }>('/api/pos/upload-errors/defer', {
        storeId: status.storeId,
        day,
        reason,
      });
      message.success(t('day.deferred', { n: r.moved.length, day: r.toDay }));
      setDeferring(false);
      setReason('');
      await onChanged();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  if (!status.uploadErrors.length) return null;
  const link = (id: number) => `/retail/upload-errors?storeId=${status.storeId}&status=open&error=${id}`;
  return (
    <Card
      size="small"
      title={t('day.uploadErrors')}
      style={{ marginTop: 12 }}
      data-testid="day-upload-errors"
      extra={<Link to={`/retail/upload-errors?storeId=${status.storeId}&status=open`}>{t('day.uploadErrors.open')}</Link>}
    >
      {status.closeBlockedBy > 0 && day && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('day.blocked', { n: status.closeBlockedBy, day })}
          action={
            can('pos.upload:manage') ? (
              <Button size="small" onClick={() => setDeferring(true)} data-testid="day-defer">
                {t('day.defer')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Table<OpenUploadError>
        size="small"
        bordered
        pagination={false}
        rowKey="id"
        dataSource={status.uploadErrors}
        columns={[
          {
            title: t('up.receiptNo'),
            dataIndex: 'receiptNo',
            width: 190,
            render: (v: string, r) => <Link to={link(r.id)}>{v}</Link>,
          },
          { title: t('up.error'), key: 'msg', render: (_: unknown, r) => r.messages[locale] },
          { title: t('up.saleDay'), dataIndex: 'saleDay', width: 110 },
          { title: t('up.deferredTo'), dataIndex: 'deferredTo', width: 110, render: (v: string | null) => v ?? '—' },
          {
            title: t('up.cash'),
            dataIndex: 'cashNet',
            width: 100,
            align: 'right',
            render: (v: string | null) => (v === null ? '—' : fmtMoney(v)),
          },
          {
            title: t('day.blocksClose'),
            dataIndex: 'blocksClose',
            width: 110,
            render: (v: boolean) => (v ? <Tag color="red">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
          },
        ]}
      />
      <Modal
        open={deferring}
        title={day ? t('day.deferTitle', { day, next: dayjs(day).add(1, 'day').format('YYYY-MM-DD') }) : ''}
        onCancel={() => setDeferring(false)}
        onOk={defer}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: busy }}
      >
        <Alert type="info" showIcon title={t('day.deferHint')} style={{ marginBottom: 12 }} />
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('common.reason')}
          maxLength={200}
          data-testid="day-defer-reason"
        />
      </Modal>
    </Card>
  );
}

export default function DailyClosePage() {
  const t = useT(m);
  const { message } = App.useApp();
  const { can } = useSession();
  const qc = useQueryClient();
  const [storeId, setStoreId] = useStoreId();
  const [day, setDay] = useState<string | null>(null);
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const status = useQuery({
    queryKey: ['pos', 'day-status', storeId],
    queryFn: () => api.get<DayStatus>('/api/pos/days/status', { storeId }),
    enabled: !!storeId,
  });
  useEffect(() => {
    if (status.data && day === null) setDay(status.data.lastClosed ?? status.data.today);
  }, [status.data, day]);
  const report = useQuery({
    queryKey: ['pos', 'day-report', storeId, day],
    queryFn: () => api.get<ReportAnswer>(`/api/pos/days/${storeId}/${day}/report`),
    enabled: !!storeId && !!day,
  });
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['pos', 'day-status'] });
    await qc.invalidateQueries({ queryKey: ['pos', 'day-report'] });
  };
  const close = async (d: string) => {
    setBusy(true);
    try {
      await api.post('/api/pos/days/close', { storeId, day: d });
      message.success(t('day.closed', { day: d }));
      setDay(d);
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const reopen = async () => {
    const d = status.data?.reopenableDay;
    if (!d) return;
    setBusy(true);
    try {
      await api.post('/api/pos/days/reopen', { storeId, day: d, reason });
      message.success(t('day.reopened', { day: d }));
      setReopening(false);
      setReason('');
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const s = status.data;
  return (
    <div>
      <PageHeader
        title={t('page.days')}
        extra={
          <StorePicker
            value={storeId}
            onChange={(id) => {
              setDay(null);
              setStoreId(id);
            }}
          />
        }
      />
      {!storeId ? (
        <div className="erp-panel">
          <Empty description={t('common.pickStore')} />
        </div>
      ) : (
        <>
          <div className="erp-panel">
            {status.isError && <Alert type="error" showIcon title={errorText(status.error)} />}
            {!s ? (
              <Spin />
            ) : (
              <Card size="small" title={t('day.status')}>
                <Descriptions size="small" column={4}>
                  <Descriptions.Item label={t('day.today')}>{s.today}</Descriptions.Item>
                  <Descriptions.Item label={t('day.lastClosed')}>
                    <span data-testid="day-last-closed">{s.lastClosed ?? t('day.none')}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('day.closable')}>{s.closableDay ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('day.reopenable')}>{s.reopenableDay ?? '—'}</Descriptions.Item>
                </Descriptions>
                <Space wrap style={{ margin: '8px 0 12px' }} data-testid="day-pending">
                  {(Object.keys(s.pending) as (keyof DayStatus['pending'])[]).map((k) => (
                    <Tag key={k} color={s.pending[k] ? 'warning' : 'default'}>
                      {t(`day.pending.${k}`)}: <strong>{s.pending[k]}</strong>
                    </Tag>
                  ))}
                </Space>
                <Space>
                  {can('pos.daily_close:confirm') && s.closableDay && (
                    <Popconfirm
                      title={t('day.closeConfirm', { day: s.closableDay })}
                      onConfirm={() => close(s.closableDay as string)}
                      disabled={s.closeBlockedBy > 0}
                    >
                      <Button type="primary" loading={busy} disabled={s.closeBlockedBy > 0} data-testid="day-close">
                        {t('day.close', { day: s.closableDay })}
                      </Button>
                    </Popconfirm>
                  )}
                  {can('pos.daily_close:rollback') && s.reopenableDay && (
                    <Button onClick={() => setReopening(true)} data-testid="day-reopen">
                      {t('day.reopen', { day: s.reopenableDay })}
                    </Button>
                  )}
                </Space>
              </Card>
            )}
            {s && <UploadErrorsCard status={s} onChanged={refresh} />}
          </div>
          <div className="erp-panel">
            <Space style={{ marginBottom: 12 }}>
              <span>{t('day.reportDay')}</span>
              <DatePicker
                value={day ? dayjs(day) : null}
                onChange={(d) => setDay(d ? d.format('YYYY-MM-DD') : null)}
                allowClear={false}
                data-testid="day-report-date"
              />
            </Space>
            {report.isError && <Alert type="error" showIcon title={errorText(report.error)} />}
            {report.isLoading ? <Spin /> : report.data ? <ReportView answer={report.data} /> : null}
          </div>
        </>
      )}
      <Modal
        open={reopening}
        title={s?.reopenableDay ? t('day.reopen', { day: s.reopenableDay }) : ''}
        onCancel={() => setReopening(false)}
        onOk={reopen}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: busy }}
      >
        <Alert type="warning" showIcon title={t('day.reopenHint')} style={{ marginBottom: 12 }} />
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('common.reason')}
          maxLength={200}
        />
      </Modal>
    </div>
  );
}
