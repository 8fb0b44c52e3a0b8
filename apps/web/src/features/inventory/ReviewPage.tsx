import { CheckOutlined } from '@ant-design/icons';
import { type DocType, STOCK_DIRECTIONS, type StockDirection, stockDocDirections } from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, fullError } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { useDocTypeLabel } from '../../shared/docs';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import type { ReviewItem } from './api';
import './inventory.css';
import { pathOfDoc } from './kinds';
import { m } from './messages';

const directionColor: Record<StockDirection, string> = { in: 'green', out: 'volcano', internal: 'blue' };

/**
 * 通用入库/出库复核 (DOC): confirmed stock documents of types whose auto-posting is off at their org, waiting to
 * be posted. Post one, or select several and post them together (all or nothing; a refusal names the document).
 */
export default function ReviewPage() {
  const t = useT(m);
  const typeLabel = useDocTypeLabel();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const { can, currentOrgId } = useSession();
  const [selected, setSelected] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const canPost = can('stock_review:post');

  const post = (ids: number[]) =>
    modal.confirm({
      title: t('review.post'),
      content: t('review.postConfirm', { n: ids.length }),
      okButtonProps: { 'data-testid': 'confirm-ok' } as never,
      onOk: async () => {
        setBusy(true);
        setFailure(null);
        try {
          const r = await api.post<{ posted: unknown[] }>('/api/inventory/review-queue/post', { ids });
          message.success(t('review.posted', { n: r.posted.length }));
          setSelected([]);
          await qc.invalidateQueries({ queryKey: ['list'] });
        } catch (e) {
          setFailure(fullError(e));
        } finally {
          setBusy(false);
        }
      },
    });

  const columns: ColumnsType<ReviewItem> = [
    {
      title: t('doc.number'),
      dataIndex: 'number',
      width: 190,
      render: (v: string, r) => <Link to={pathOfDoc(r.docType, r.id)}>{v}</Link>,
    },
    { title: t('doc.type'), dataIndex: 'docType', width: 120, render: (v: DocType) => typeLabel(v) },
    {
      title: t('review.direction'),
      dataIndex: 'direction',
      width: 70,
      render: (v: StockDirection) => <Tag color={directionColor[v]}>{t(`review.${v}`)}</Tag>,
    },
    { title: t('doc.businessDate'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    { title: t('doc.org'), key: 'org', width: 150, render: (_: unknown, r) => `${r.orgCode} ${r.orgName}` },
    { title: t('doc.warehouse'), dataIndex: 'warehouseCode', width: 100 },
    { title: t('review.lines'), dataIndex: 'lines', width: 60, align: 'right' },
    {
      title: t('doc.totalQty'),
      dataIndex: 'totalQty',
      width: 90,
      align: 'right',
      render: (v: string) => <span className="inv-num">{fmtDecimal(v)}</span>,
    },
    {
      title: t('doc.totalAmount'),
      dataIndex: 'totalAmount',
      width: 100,
      align: 'right',
      render: (v: string) => <span className="inv-num">{fmtMoney(v)}</span>,
    },
    { title: t('review.confirmedAt'), dataIndex: 'confirmedAt', width: 150, render: fmtDateTime },
    { title: t('common.remarks'), dataIndex: 'remarks', ellipsis: true },
  ];
  if (canPost) {
    columns.push({
      title: t('common.actions'),
      key: 'act',
      width: 80,
      fixed: 'right',
      render: (_: unknown, r) => (
        <Button size="small" type="link" onClick={() => post([r.id])} disabled={busy} data-testid={`review-post-${r.id}`}>
          {t('review.post')}
        </Button>
      ),
    });
  }
  const docTypes = Object.keys(stockDocDirections) as DocType[];
  return (
    <div>
      <PageHeader
        title={t('page.review')}
        extra={
          canPost ? (
            <Button
              type="primary"
              icon={<CheckOutlined />}
              disabled={!selected.length}
              loading={busy}
              onClick={() => post(selected)}
              data-testid="review-post-selected"
            >
              {t('review.postSelected', { n: selected.length })}
            </Button>
          ) : null
        }
      />
      {failure && (
        <Alert
          type="error"
          showIcon
          title={failure}
          closable={{ onClose: () => setFailure(null) }}
          style={{ marginBottom: 12 }}
        />
      )}
      <DataTable<ReviewItem>
        queryKey="review-queue"
        url="/api/inventory/review-queue"
        rowKey="id"
        params={{ orgId: currentOrgId ?? undefined }}
        columns={columns}
        filters={[
          { name: 'q', label: t('doc.number'), placeholder: t('doc.searchNumber'), width: 170 },
          {
            name: 'direction',
            label: t('review.direction'),
            type: 'select',
            width: 100,
            options: STOCK_DIRECTIONS.map((d) => ({ value: d, label: t(`review.${d}`) })),
          },
          {
            name: 'docType',
            label: t('doc.type'),
            type: 'select',
            width: 150,
            options: docTypes.map((d) => ({ value: d, label: typeLabel(d) })),
          },
          { name: 'period', label: t('doc.businessDate'), type: 'dateRange', range: ['from', 'to'] },
        ]}
        exportUrl="/api/inventory/review-queue/export"
        exportGrant="stock_review:export"
        rowSelection={
          canPost
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(Number)), preserveSelectedRowKeys: false }
            : undefined
        }
      />
    </div>
  );
}
