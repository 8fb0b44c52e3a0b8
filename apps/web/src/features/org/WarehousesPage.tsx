import { PlusOutlined } from '@ant-design/icons';
import { createCounterBody, createShelfBody, createWarehouseBody } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Empty, Form, Input, Modal, Row, Select, Switch, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';
import { api } from '../../shared/api';
import { EnterSubmits, FormError } from '../../shared/FormError';
import { useZodForm } from '../../shared/forms';
import { useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useWarehouses, type WarehouseDto } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { m } from './messages';

interface Counter {
  id: number;
  orgId: number;
  code: string;
  name: string;
  active: boolean;
}
interface Shelf {
  id: number;
  warehouseId: number;
  counterId: number | null;
  code: string;
  name: string;
}

type Kind = 'warehouse' | 'counter' | 'shelf';
const schemas = { warehouse: createWarehouseBody, counter: createCounterBody, shelf: createShelfBody } as const;
const urls = { warehouse: '/api/warehouses', counter: '/api/counters', shelf: '/api/shelves' } as const;

function CreateModal({
  kind,
  initial,
  counters,
  onClose,
}: {
  kind: Kind;
  initial: Record<string, unknown>;
  counters?: Counter[];
  onClose: (saved: boolean) => void;
}) {
  const t = useT(m);
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const zf = useZodForm(schemas[kind] as z.ZodType, form);
  const title = kind === 'warehouse' ? t('wh.newWarehouse') : kind === 'counter' ? t('wh.newCounter') : t('wh.newShelf');
  return (
    <Modal
      open
      title={title}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={zf.submitting}
      okText={t('common.save')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        initialValues={initial}
        onFinish={(values) =>
          zf.submit({ ...initial, ...values }, async (cmd) => {
            await api.post(urls[kind], cmd);
            message.success(t('common.created'));
            onClose(true);
          })
        }
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        {kind === 'warehouse' && (
          <Form.Item label={t('common.org')} {...zf.item('orgId')}>
            <OrgSelect kinds={['store', 'dc']} />
          </Form.Item>
        )}
        <Form.Item label={t('common.code')} {...zf.item('code')}>
          <Input autoFocus maxLength={32} />
        </Form.Item>
        <Form.Item label={t('common.name')} {...zf.item('name')}>
          <Input maxLength={100} />
        </Form.Item>
        {kind === 'warehouse' && (
          <Form.Item label={t('wh.isDefault')} name="isDefault" valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
        {kind === 'shelf' && counters && counters.length > 0 && (
          <Form.Item label={t('wh.counter')} {...zf.item('counterId')}>
            <Select allowClear options={counters.map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export default function WarehousesPage() {
  const t = useT(m);
  const qc = useQueryClient();
  const orgLabel = useOrgLabel();
  const { currentOrgId, orgs, can } = useSession();
  const [sp, setSp] = useSearchParams();
  const orgId = Number(sp.get('orgId') ?? '') || currentOrgId || undefined;
  const org = orgs.find((o) => o.id === orgId);
  const warehouses = useWarehouses(orgId);
  const selectedWh = Number(sp.get('wh') ?? '') || undefined;
  const wh = warehouses.data?.find((w) => w.id === selectedWh);
  const counterOrg = wh?.orgId ?? (org?.kind === 'store' ? org.id : undefined);
  const counterOrgKind = orgs.find((o) => o.id === counterOrg)?.kind;
  const counters = useQuery({
    queryKey: ['counters', counterOrg],
    queryFn: () => api.get<Counter[]>(`/api/orgs/${counterOrg}/counters`),
    enabled: !!counterOrg && counterOrgKind === 'store',
  });
  const shelves = useQuery({
    queryKey: ['shelves', selectedWh],
    queryFn: () => api.get<Shelf[]>(`/api/warehouses/${selectedWh}/shelves`),
    enabled: !!selectedWh,
  });
  const [creating, setCreating] = useState<Kind | null>(null);
  const canCreate = can('warehouse:create');
  const setParam = (k: string, v: string | undefined) =>
    setSp(
      (prev) => {
        const n = new URLSearchParams(prev);
        if (v) n.set(k, v);
        else n.delete(k);
        if (k === 'orgId') n.delete('wh');
        return n;
      },
      { replace: true },
    );

  return (
    <div>
      <PageHeader
        title={t('page.warehouses')}
        extra={
          <>
            <span>{t('wh.orgFilter')}</span>
            <OrgSelect
              value={orgId}
              onChange={(v) => setParam('orgId', v ? String(v) : undefined)}
              style={{ width: 240 }}
              placeholder={t('shell.allOrgs')}
            />
          </>
        }
      />
      <Row gutter={12}>
        <Col xs={24} xl={13}>
          <div className="erp-panel">
            <div className="erp-table-toolbar">
              <strong>{t('org.warehouses')}</strong>
              {canCreate && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating('warehouse')}>
                  {t('wh.newWarehouse')}
                </Button>
              )}
            </div>
            <Table<WarehouseDto>
              size="small"
              bordered
              rowKey="id"
              loading={warehouses.isLoading}
              dataSource={warehouses.data ?? []}
              pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
              rowSelection={{
                type: 'radio',
                selectedRowKeys: selectedWh ? [selectedWh] : [],
                onChange: (keys) => setParam('wh', keys[0] !== undefined ? String(keys[0]) : undefined),
              }}
              onRow={(r) => ({ onClick: () => setParam('wh', String(r.id)), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('common.code'), dataIndex: 'code', width: 120, sorter: (a, b) => a.code.localeCompare(b.code) },
                { title: t('common.name'), dataIndex: 'name' },
                { title: t('common.org'), dataIndex: 'orgId', render: (v: number) => orgLabel(v) },
                {
                  title: t('common.default'),
                  dataIndex: 'isDefault',
                  width: 70,
                  render: (v: boolean) => (v ? <Tag color="blue">{t('common.default')}</Tag> : null),
                },
                {
                  title: t('common.status'),
                  dataIndex: 'active',
                  width: 70,
                  render: (v: boolean) => (v ? t('common.active') : <Tag color="red">{t('common.inactive')}</Tag>),
                },
              ]}
            />
          </div>
        </Col>
        <Col xs={24} xl={11}>
          <div className="erp-panel">
            <Tabs
              items={[
                {
                  key: 'shelves',
                  label: `${t('wh.shelves')}${wh ? ` · ${wh.code} ${wh.name}` : ''}`,
                  children: !selectedWh ? (
                    <Empty description={t('wh.pickWarehouse')} />
                  ) : (
                    <>
                      {canCreate && (
                        <Button icon={<PlusOutlined />} style={{ marginBottom: 8 }} onClick={() => setCreating('shelf')}>
                          {t('wh.newShelf')}
                        </Button>
                      )}
                      <Table<Shelf>
                        size="small"
                        bordered
                        rowKey="id"
                        loading={shelves.isLoading}
                        dataSource={shelves.data ?? []}
                        pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
                        columns={[
                          { title: t('common.code'), dataIndex: 'code', width: 120 },
                          { title: t('common.name'), dataIndex: 'name' },
                          {
                            title: t('wh.counter'),
                            dataIndex: 'counterId',
                            render: (v: number | null) => {
                              const c = counters.data?.find((x) => x.id === v);
                              return c ? `${c.code} ${c.name}` : '';
                            },
                          },
                        ]}
                      />
                    </>
                  ),
                },
                {
                  key: 'counters',
                  label: t('wh.counters'),
                  children:
                    counterOrg && counterOrgKind === 'store' ? (
                      <>
                        {canCreate && (
                          <Button icon={<PlusOutlined />} style={{ marginBottom: 8 }} onClick={() => setCreating('counter')}>
                            {t('wh.newCounter')}
                          </Button>
                        )}
                        <Table<Counter>
                          size="small"
                          bordered
                          rowKey="id"
                          loading={counters.isLoading}
                          dataSource={counters.data ?? []}
                          pagination={false}
                          columns={[
                            { title: t('common.code'), dataIndex: 'code', width: 120 },
                            { title: t('common.name'), dataIndex: 'name' },
                            { title: t('common.org'), dataIndex: 'orgId', render: (v: number) => orgLabel(v) },
                          ]}
                        />
                      </>
                    ) : (
                      <Empty description={t('wh.pickStore')} />
                    ),
                },
              ]}
            />
          </div>
        </Col>
      </Row>
      {creating && (
        <CreateModal
          kind={creating}
          counters={counters.data}
          initial={
            creating === 'warehouse'
              ? { orgId: org && (org.kind === 'store' || org.kind === 'dc') ? org.id : undefined }
              : creating === 'counter'
                ? { orgId: counterOrg }
                : { warehouseId: selectedWh }
          }
          onClose={async (saved) => {
            setCreating(null);
            if (saved) {
              await qc.invalidateQueries({ queryKey: ['warehouses'] });
              await qc.invalidateQueries({ queryKey: ['counters'] });
              await qc.invalidateQueries({ queryKey: ['shelves'] });
            }
          }}
        />
      )}
    </div>
  );
}
