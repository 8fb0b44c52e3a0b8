import { STOCK_EXCEPTION_KINDS, type StockExceptionDto, type Wire } from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, errorText } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { fmtDate, fmtDecimal } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import './inventory.css';
import { pathOfDoc } from './kinds';
import { m } from './messages';

type Row = Wire<StockExceptionDto>;

/**
 * 库存异常 (issue 9): what paid sales took against the stock rules — sold below zero (stock debt, clearing
 * itself when stock arrives or a count corrects it) and expired lots sold (acknowledged by the manager).
 */
export default function StockExceptionsPage() {
  const t = useT(m);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can, currentOrgId } = useSession();
  const [acking, setAcking] = useState<Row | null>(null);
  const [form] = Form.useForm<{ note: string }>();
  const [error, setError] = useState<string | null>(null);

  const acknowledge = async () => {
    const { note } = await form.validateFields();
    try {
      await api.post(`/api/stock/exceptions/${acking?.id}/acknowledge`, { note });
      message.success(t('exc.acknowledged'));
      setAcking(null);
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ['list'] });
    } catch (e) {
      setError(errorText(e));
    }
  };

  const source = (r: Row) => {
    if (!r.sourceNumber) return '—';
    if (r.sourceType === 'pos_sale')
      return <Link to={`/retail/journal?receiptNo=${encodeURIComponent(r.sourceNumber)}`}>{r.sourceNumber}</Link>;
    return r.sourceDocType ? <Link to={pathOfDoc(r.sourceDocType, r.sourceId)}>{r.sourceNumber}</Link> : r.sourceNumber;
  };

  const columns: ColumnsType<Row> = [
    {
      title: t('exc.kind'),
      dataIndex: 'kind',
      width: 130,
      render: (v: Row['kind']) => <Tag color={v === 'stock_debt' ? 'volcano' : 'gold'}>{t(`exc.kind.${v}`)}</Tag>,
    },
    { title: t('exc.day'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    { title: t('doc.org'), dataIndex: 'orgName', width: 120 },
    { title: t('exc.product'), key: 'product', render: (_: unknown, r) => `${r.productCode} ${r.productName}` },
    {
      title: t('exc.lot'),
      key: 'lot',
      width: 150,
      render: (_: unknown, r) => (r.lotNo ? `${r.lotNo}${r.expiryDate ? ` / ${fmtDate(r.expiryDate)}` : ''}` : '—'),
    },
    {
      title: t('exc.qty'),
      dataIndex: 'qty',
      width: 80,
      align: 'right',
      render: (v: string) => <span className="inv-num">{fmtDecimal(v)}</span>,
    },
    { title: t('exc.source'), key: 'source', width: 190, render: (_: unknown, r) => source(r) },
    {
      title: t('exc.stockNow'),
      dataIndex: 'stockNow',
      width: 110,
      align: 'right',
      render: (v: string) => <span className={`inv-num${v.startsWith('-') ? ' inv-negative' : ''}`}>{fmtDecimal(v)}</span>,
    },
    {
      title: t('exc.status'),
      key: 'status',
      width: 220,
      render: (_: unknown, r) => {
        if (r.status === 'resolved') {
          const text =
            r.resolution === 'acknowledged'
              ? t('exc.resolution.acknowledged', { note: r.note ?? '' })
              : t('exc.resolution.stock_arrived', { number: r.resolvedSourceNumber ?? '' });
          return <Tag color="green">{text}</Tag>;
        }
        if (r.kind === 'stock_debt')
          return (
            <Tag title={t('exc.debtHint')}>
              {t('exc.status.open')} · {t('exc.debtHint')}
            </Tag>
          );
        return can('stock:approve') ? (
          <Button size="small" onClick={() => setAcking(r)} data-testid={`exc-ack-${r.id}`}>
            {t('exc.acknowledge')}
          </Button>
        ) : (
          <Tag>{t('exc.status.open')}</Tag>
        );
      },
    },
  ];

  return (
    <div>
      <PageHeader title={t('page.exceptions')} />
      <Alert type="info" showIcon title={t('exc.intro')} style={{ marginBottom: 12 }} />
      <DataTable<Row>
        queryKey="stock-exceptions"
        url="/api/stock/exceptions"
        rowKey="id"
        params={{ orgId: currentOrgId ?? undefined }}
        columns={columns}
        filters={[
          {
            name: 'status',
            label: t('exc.status'),
            type: 'select',
            width: 110,
            options: (['open', 'resolved'] as const).map((s) => ({ value: s, label: t(`exc.status.${s}`) })),
          },
          {
            name: 'kind',
            label: t('exc.kind'),
            type: 'select',
            width: 140,
            options: STOCK_EXCEPTION_KINDS.map((k) => ({ value: k, label: t(`exc.kind.${k}`) })),
          },
          { name: 'q', label: t('exc.product'), width: 170 },
        ]}
      />
      <Modal
        open={acking !== null}
        title={t('exc.acknowledgeTitle')}
        onOk={acknowledge}
        onCancel={() => {
          setAcking(null);
          setError(null);
        }}
        okButtonProps={{ 'data-testid': 'exc-ack-ok' } as never}
      >
        {acking && (
          <p>
            {acking.productCode} {acking.productName} · {acking.lotNo} · {fmtDecimal(acking.qty)}
          </p>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item
            name="note"
            label={t('exc.note')}
            rules={[{ required: true, whitespace: true, message: t('exc.noteRequired') }]}
          >
            <Input.TextArea rows={2} maxLength={200} placeholder={t('exc.notePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
