import { Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { fmtDate, fmtDecimal, fmtMoney } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { useShelves } from '../../shared/stockPickers';
import { type DocumentLine, type LineUnitAttrs, useProducts } from './api';
import { m } from './messages';
import { unitName } from './PurchaseLines';

/**
 * The lines of a receipt, self-purchase or return as stored: accepted and refused quantity (base unit, with
 * what was typed in a pack unit), cost, the batch posting created, lot, expiry, shelf, and void state.
 */
export function ReceivedLines({
  lines,
  warehouseId,
  refused = true,
  selection,
  extraColumns = [],
}: {
  lines: DocumentLine[];
  warehouseId: number | null;
  refused?: boolean;
  selection?: { selected: number[]; onChange: (ids: number[]) => void; disabled?: (l: DocumentLine) => boolean } | undefined;
  extraColumns?: ColumnsType<DocumentLine>;
}) {
  const t = useT(m);
  const products = useProducts(lines.map((l) => l.productId));
  const shelves = useShelves(warehouseId);
  const shelfCode = (id: number | null) => (id ? (shelves.data?.find((s) => s.id === id)?.code ?? `#${id}`) : '');
  const columns: ColumnsType<DocumentLine> = [
    { title: t('line.no'), dataIndex: 'lineNo', width: 48, align: 'right' },
    {
      title: t('line.product'),
      key: 'product',
      width: 240,
      render: (_: unknown, l) => {
        const p = l.productId ? products.get(l.productId) : undefined;
        const name = p ? `${p.code} ${p.name}${p.spec ? ` ${p.spec}` : ''}` : `#${l.productId}`;
        // A voided line says so where the eye is, not only in the status column at the far right.
        return l.status === 'void' ? (
          <span>
            {name}{' '}
            <Tooltip title={(l.attrs as LineUnitAttrs).voidReason}>
              <Tag>{t('line.void')}</Tag>
            </Tooltip>
          </span>
        ) : (
          name
        );
      },
    },
    {
      title: t('line.entered'),
      key: 'entered',
      width: 110,
      render: (_: unknown, l) => {
        const a = l.attrs as LineUnitAttrs;
        const p = l.productId ? products.get(l.productId) : undefined;
        return a.unitId !== undefined
          ? `${fmtDecimal(a.unitQty)} ${unitName(p, a.unitId)}`
          : `${fmtDecimal(l.qty)} ${p?.baseUnitName ?? ''}`;
      },
    },
    {
      title: t('line.baseQty'),
      dataIndex: 'qty',
      width: 90,
      align: 'right',
      render: (v: string) => <span className="erp-num">{fmtDecimal(v)}</span>,
    },
    ...(refused
      ? [
          {
            title: t('line.rejectedQty'),
            key: 'rejected',
            width: 80,
            align: 'right' as const,
            render: (_: unknown, l: DocumentLine) => {
              const a = l.attrs as LineUnitAttrs;
              return a.rejectedQty ? (
                <Tooltip title={a.rejectReason}>
                  <span className="erp-qty-shortage">{fmtDecimal(a.rejectedQty)}</span>
                </Tooltip>
              ) : null;
            },
          },
        ]
      : []),
    {
      title: t('line.basePrice'),
      dataIndex: 'unitPrice',
      width: 90,
      align: 'right',
      render: (v: string) => <span className="erp-num">{fmtDecimal(v, 2)}</span>,
    },
    {
      title: t('line.amount'),
      dataIndex: 'amount',
      width: 100,
      align: 'right',
      render: (v: string) => <span className="erp-num">{fmtMoney(v)}</span>,
    },
    { title: t('line.batch'), dataIndex: 'batchNo', width: 150 },
    { title: t('line.lot'), dataIndex: 'lotNo', width: 100 },
    { title: t('line.expiry'), dataIndex: 'expiryDate', width: 100, render: fmtDate },
    { title: t('line.shelf'), dataIndex: 'shelfId', width: 90, render: (v: number | null) => shelfCode(v) },
    ...extraColumns,
    {
      title: t('line.status'),
      dataIndex: 'status',
      width: 90,
      render: (v: string, l) =>
        v === 'void' ? (
          <Tooltip title={(l.attrs as LineUnitAttrs).voidReason}>
            <Tag>{t('line.void')}</Tag>
          </Tooltip>
        ) : (
          t('line.active')
        ),
    },
    { title: t('common.remarks'), dataIndex: 'remarks', ellipsis: true },
  ];
  return (
    <Table<DocumentLine>
      size="small"
      bordered
      rowKey="id"
      dataSource={lines}
      columns={columns}
      pagination={lines.length > 200 ? { pageSize: 200, size: 'small' } : false}
      scroll={{ x: 'max-content' }}
      data-testid="doc-lines"
      rowClassName={(l) => (l.status === 'void' ? 'erp-line-void' : '')}
      rowSelection={
        selection
          ? {
              selectedRowKeys: selection.selected,
              onChange: (keys) => selection.onChange(keys as number[]),
              getCheckboxProps: (l) => ({ disabled: l.status === 'void' || !!selection.disabled?.(l) }),
            }
          : undefined
      }
    />
  );
}
