import { InboxOutlined, PlusOutlined } from '@ant-design/icons';
import type { Page } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Input, Modal, Space, Table, Tooltip } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { fmtDate, fmtDecimal } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { type PurchaseOrderListItem, usePurchasingSettings } from './api';
import { DocList } from './DocList';
import { m } from './messages';

/** 验收入库单: receipts; new ones against an open purchase order, or without one where the org allows it. */
export default function ReceiptsPage() {
  const t = useT(m);
  const navigate = useNavigate();
  const { can, currentOrg } = useSession();
  const [picking, setPicking] = useState(false);
  const settings = usePurchasingSettings(currentOrg?.id);
  const mustFollowOrder = settings.data?.effective.requirePurchaseOrder === true;
  const create = can('doc.purchase_receipt:create');
  return (
    <div>
      <PageHeader title={t('page.receipts')} />
      <div className="erp-panel">
        <DocList
          docType="purchase_receipt"
          basePath="/purchasing/receipts"
          supplier
          toolbar={
            create && (
              <Space>
                <Button type="primary" icon={<InboxOutlined />} onClick={() => setPicking(true)} data-testid="receipt-from-po">
                  {t('receipt.fromOrder')}
                </Button>
                <Tooltip title={mustFollowOrder ? t('receipt.orderRequired') : undefined}>
                  <Button
                    icon={<PlusOutlined />}
                    disabled={mustFollowOrder}
                    onClick={() => navigate('/purchasing/receipts/new')}
                    data-testid="receipt-no-po"
                  >
                    {t('receipt.withoutOrder')}
                  </Button>
                </Tooltip>
              </Space>
            )
          }
        />
      </div>
      {picking && (
        <OpenOrderPicker onClose={() => setPicking(false)} onPick={(id) => navigate(`/purchasing/receipts/new?po=${id}`)} />
      )}
    </div>
  );
}

/** Confirmed orders with something left to receive, searchable by number; Enter or double-click picks. */
export function OpenOrderPicker({ onClose, onPick }: { onClose: () => void; onPick: (id: number) => void }) {
  const t = useT(m);
  const { currentOrgId } = useSession();
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const orders = useQuery({
    queryKey: ['list', 'open-orders', currentOrgId, q],
    queryFn: () =>
      api.get<Page<PurchaseOrderListItem>>('/api/purchase-orders', {
        openOnly: 'true',
        orgId: currentOrgId ?? undefined,
        q: q || undefined,
        pageSize: 50,
      }),
  });
  const rows = orders.data?.items ?? [];
  const pick = (id: number | null | undefined) => {
    if (!id) return;
    onPick(id);
    onClose();
  };
  return (
    <Modal
      open
      title={t('receipt.pickOrder')}
      width={900}
      onCancel={onClose}
      onOk={() => pick(selected ?? rows[0]?.id)}
      okButtonProps={{ disabled: !rows.length, 'data-testid': 'pick-order-ok' } as never}
      okText={t('receipt.startReceiving')}
    >
      <Input.Search
        placeholder={t('doc.searchNumber')}
        allowClear
        autoFocus
        onSearch={(v) => setQ(v.trim())}
        style={{ width: 280, marginBottom: 8 }}
      />
      <Table<PurchaseOrderListItem>
        size="small"
        bordered
        rowKey="id"
        loading={orders.isFetching}
        dataSource={rows}
        pagination={false}
        scroll={{ y: 360 }}
        data-testid="open-orders"
        rowSelection={{ type: 'radio', selectedRowKeys: selected ? [selected] : [], onChange: (k) => setSelected(Number(k[0])) }}
        onRow={(r) => ({ onClick: () => setSelected(r.id), onDoubleClick: () => pick(r.id) })}
        columns={[
          { title: t('doc.number'), dataIndex: 'number', width: 190 },
          { title: t('doc.businessDate'), dataIndex: 'businessDate', width: 100, render: fmtDate },
          { title: t('doc.supplier'), key: 's', render: (_: unknown, r) => `${r.supplierCode ?? ''} ${r.supplierName ?? ''}` },
          { title: t('doc.warehouse'), dataIndex: 'warehouseName', width: 100 },
          { title: t('po.expectedDate'), dataIndex: 'expectedDate', width: 100, render: fmtDate },
          { title: t('po.open'), dataIndex: 'openQty', width: 90, align: 'right', render: (v: string) => fmtDecimal(v) },
        ]}
      />
    </Modal>
  );
}
