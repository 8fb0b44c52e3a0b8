import { PlusOutlined } from '@ant-design/icons';
import { DOC_STATUSES, dec, docStatusLabels } from '@erp/contracts';
import { Button, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { DocStatusTag } from '../../shared/docs';
import { fmtDate, fmtDecimal, fmtMoney } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { SupplierSelect } from '../../shared/stockPickers';
import type { PurchaseOrderListItem } from './api';
import { m } from './messages';

/** 采购订单 (PUR-1): orders with ordered / received / open quantities, filters in the URL, Excel export. */
export default function OrdersPage() {
  const t = useT(m);
  const orgLabel = useOrgLabel();
  const label = useLabel();
  const navigate = useNavigate();
  const { can, currentOrgId, orgs } = useSession();
  const oneOrg = currentOrgId !== null || orgs.length <= 1;
  const columns: ColumnsType<PurchaseOrderListItem> = [
    {
      title: t('doc.number'),
      dataIndex: 'number',
      width: 170,
      render: (v: string, r) => <Link to={`/purchasing/orders/${r.id}`}>{v}</Link>,
    },
    { title: t('doc.businessDate'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    {
      title: t('doc.status'),
      dataIndex: 'status',
      width: 110,
      render: (v: PurchaseOrderListItem['status'], r) => (
        <Space size={2}>
          <DocStatusTag status={v} />
          {r.closedShort && <Tag color="orange">{t('po.closedShort')}</Tag>}
        </Space>
      ),
    },
    ...(oneOrg
      ? []
      : [
          {
            title: t('doc.org'),
            key: 'org',
            width: 130,
            render: (_: unknown, r: PurchaseOrderListItem) => orgLabel(r.orgId, `${r.orgCode} ${r.orgName}`),
          },
        ]),
    { title: t('doc.warehouse'), dataIndex: 'warehouseName', width: 80 },
    {
      title: t('doc.supplier'),
      key: 'supplier',
      width: 200,
      ellipsis: true,
      render: (_: unknown, r) => (r.supplierCode ? `${r.supplierCode} ${r.supplierName}` : ''),
    },
    { title: t('po.expectedDate'), dataIndex: 'expectedDate', width: 100, render: fmtDate },
    {
      title: t('po.ordered'),
      dataIndex: 'orderedQty',
      width: 90,
      align: 'right',
      render: (v: string) => <span className="erp-num">{fmtDecimal(v)}</span>,
    },
    {
      title: t('po.received'),
      dataIndex: 'receivedQty',
      width: 80,
      align: 'right',
      render: (v: string) => <span className="erp-num">{fmtDecimal(v)}</span>,
    },
    {
      title: t('po.open'),
      dataIndex: 'openQty',
      width: 80,
      align: 'right',
      render: (v: string) => (
        <strong className="erp-num" style={dec(v).greaterThan(0) ? undefined : { color: '#8c8c8c' }}>
          {fmtDecimal(v)}
        </strong>
      ),
    },
    {
      title: t('doc.totalAmount'),
      dataIndex: 'totalAmount',
      width: 110,
      align: 'right',
      render: (v: string) => <span className="erp-num">{fmtMoney(v)}</span>,
    },
  ];
  return (
    <div>
      <PageHeader title={t('page.orders')} />
      <div className="erp-panel">
        <DataTable<PurchaseOrderListItem>
          queryKey="purchase-orders"
          url="/api/purchase-orders"
          rowKey="id"
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          onRow={(r) => ({ onDoubleClick: () => navigate(`/purchasing/orders/${r.id}`) })}
          filters={[
            { name: 'q', label: t('doc.number'), placeholder: t('doc.searchNumber'), width: 170 },
            {
              name: 'supplierId',
              label: t('doc.supplier'),
              type: 'custom',
              numeric: true,
              render: () => <SupplierSelect style={{ width: 220 }} />,
            },
            {
              name: 'status',
              label: t('doc.status'),
              type: 'select',
              width: 120,
              options: DOC_STATUSES.map((s) => ({ value: s, label: label(docStatusLabels[s]) })),
            },
            { name: 'period', label: t('doc.businessDate'), type: 'dateRange', range: ['from', 'to'] },
            { name: 'openOnly', label: t('po.openOnly'), type: 'switch' },
          ]}
          toolbar={
            can('doc.purchase_order:create') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/purchasing/orders/new')}
                data-testid="po-new"
              >
                {t('page.orderNew')}
              </Button>
            )
          }
          exportUrl="/api/purchase-orders/export"
          exportGrant="doc.purchase_order:export"
          exportName="purchase-orders.xlsx"
        />
      </div>
    </div>
  );
}
