import { PlusOutlined } from '@ant-design/icons';
import {
  createPartnerBody,
  entity,
  type PartnerDto,
  type PartnerKind,
  PRICE_TYPES,
  partnerKindLabels,
  priceTypeLabels,
  updatePartnerBody,
} from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Drawer, Form, Input, InputNumber, Popconfirm, Row, Select, Space, Switch, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import type { z } from 'zod';
import { api, errorText } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { EnterSubmits, FormError } from '../../shared/FormError';
import { fmtMoney } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { m } from './messages';

const paths: Record<PartnerKind, string> = {
  supplier: '/api/suppliers',
  customer: '/api/customers',
  manufacturer: '/api/manufacturers',
};
const titles = { supplier: 'page.suppliers', customer: 'page.customers', manufacturer: 'page.manufacturers' } as const;
const NULLABLE = [
  'shortName',
  'contact',
  'phone',
  'email',
  'address',
  'taxNo',
  'bankName',
  'bankAccount',
  'licenseNo',
  'paymentTermsDays',
  'creditLimit',
  'priceType',
  'remarks',
];

function PartnerDrawer({ kind, row, onClose }: { kind: PartnerKind; row: PartnerDto | null; onClose: (saved: boolean) => void }) {
  const t = useT(m);
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const mode = row ? 'edit' : 'create';
  // The schemas are shared by the three kinds; naming the entity makes messages say 供应商编码 / 客户编码….
  const schema = useMemo(() => entity(kind, mode === 'create' ? createPartnerBody : updatePartnerBody), [kind, mode]);
  const zf = useZodForm(schema as z.ZodType, form);
  const kindName = label(partnerKindLabels[kind]);
  const col = { xs: 24, md: 12 };
  return (
    <Drawer
      open
      size={720}
      title={mode === 'create' ? t('pt.new', { kind: kindName }) : `${t('pt.edit', { kind: kindName })} · ${row!.code}`}
      onClose={() => onClose(false)}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
          <Button type="primary" loading={zf.submitting} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={row ?? { priceType: kind === 'customer' ? 'wholesale' : undefined }}
        onFinish={(values: Record<string, unknown>) => {
          const body = mode === 'edit' ? { ...values, version: row!.version } : values;
          if (mode === 'edit') delete (body as Record<string, unknown>).code;
          return zf.submit(
            body,
            async (cmd) => {
              if (mode === 'create') await api.post(paths[kind], cmd);
              else await api.patch(`${paths[kind]}/${row!.id}`, cmd);
              message.success(t('common.saved'));
              onClose(true);
            },
            mode === 'edit' ? { nullKeys: NULLABLE } : undefined,
          );
        }}
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        <Row gutter={16}>
          <Col {...col}>
            <Form.Item label={t('common.code')} {...zf.item('code')} required={mode === 'create'}>
              <Input maxLength={32} disabled={mode === 'edit'} autoFocus={mode === 'create'} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item label={t('common.name')} {...zf.item('name')} required>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item label={t('pt.shortName')} {...zf.item('shortName')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          {mode === 'create' && (
            <Col {...col}>
              <Form.Item label={t('pt.owner')} {...zf.item('orgId')} extra={t('pt.ownerHint')}>
                <OrgSelect />
              </Form.Item>
            </Col>
          )}
          <Col {...col}>
            <Form.Item label={t('pt.contact')} {...zf.item('contact')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item label={t('pt.phone')} {...zf.item('phone')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item label={t('pt.email')} {...zf.item('email')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('pt.address')} {...zf.item('address')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item label={t('pt.taxNo')} {...zf.item('taxNo')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item label={t('pt.licenseNo')} {...zf.item('licenseNo')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item label={t('pt.bankName')} {...zf.item('bankName')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item label={t('pt.bankAccount')} {...zf.item('bankAccount')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          {kind === 'supplier' && (
            <Col {...col}>
              <Form.Item label={t('pt.paymentTerms')} {...zf.item('paymentTermsDays')}>
                <InputNumber min={0} max={3650} precision={0} style={{ width: 160 }} />
              </Form.Item>
            </Col>
          )}
          {kind === 'customer' && (
            <>
              <Col {...col}>
                <Form.Item label={t('pt.creditLimit')} {...zf.item('creditLimit')}>
                  <Input prefix="¥" style={{ width: 200 }} />
                </Form.Item>
              </Col>
              <Col {...col}>
                <Form.Item label={t('pt.priceType')} {...zf.item('priceType')}>
                  <Select allowClear options={PRICE_TYPES.map((p) => ({ value: p, label: label(priceTypeLabels[p]) }))} />
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={24}>
            <Form.Item label={t('common.remarks')} {...zf.item('remarks')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </Col>
          {mode === 'edit' && (
            <Col {...col}>
              <Form.Item label={t('common.status')} name="active" valuePropName="checked">
                <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </Drawer>
  );
}

/** Suppliers, wholesale customers or manufacturers: one screen, three kinds. */
export function PartnersPage({ kind }: { kind: PartnerKind }) {
  const t = useT(m);
  const label = useLabel();
  const orgLabel = useOrgLabel();
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<{ row: PartnerDto | null } | null>(null);
  const fn = kind;
  const reload = async () => {
    await qc.invalidateQueries({ queryKey: ['list', `partners:${kind}`] });
    await qc.invalidateQueries({ queryKey: ['partners-brief'] });
  };
  const columns: ColumnsType<PartnerDto> = [
    { title: t('common.code'), dataIndex: 'code', key: 'code', width: 110, sorter: true },
    { title: t('common.name'), dataIndex: 'name', key: 'name', sorter: true, width: 220 },
    { title: t('pt.shortName'), dataIndex: 'shortName', width: 110 },
    { title: t('pt.contact'), dataIndex: 'contact', width: 90 },
    { title: t('pt.phone'), dataIndex: 'phone', width: 130 },
    ...(kind === 'supplier'
      ? [{ title: t('pt.paymentTerms'), dataIndex: 'paymentTermsDays', width: 90, align: 'right' as const }]
      : kind === 'customer'
        ? [
            {
              title: t('pt.creditLimit'),
              dataIndex: 'creditLimit',
              width: 110,
              align: 'right' as const,
              render: (v: string | null) => fmtMoney(v),
            },
            {
              title: t('pt.priceType'),
              dataIndex: 'priceType',
              width: 100,
              render: (v: PartnerDto['priceType']) => (v ? label(priceTypeLabels[v]) : ''),
            },
          ]
        : []),
    { title: t('pt.owner'), dataIndex: 'orgId', width: 150, render: (v: number) => orgLabel(v) },
    {
      title: t('common.status'),
      dataIndex: 'active',
      width: 70,
      render: (v: boolean) => (v ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'a',
      width: 120,
      fixed: 'right',
      render: (_: unknown, r) => (
        <Space size={0}>
          {can(`${fn}:edit`) && (
            <Button type="link" size="small" onClick={() => setEditing({ row: r })}>
              {t('common.edit')}
            </Button>
          )}
          {can(`${fn}:delete`) && (
            <Popconfirm
              title={t('common.confirmTitle')}
              description={t('pt.deleteConfirm', { name: `${r.code} ${r.name}` })}
              onConfirm={async () => {
                try {
                  await api.delete(`${paths[kind]}/${r.id}`);
                  message.success(t('common.done'));
                  await reload();
                } catch (e) {
                  message.error(errorText(e));
                }
              }}
            >
              <Button type="link" size="small" danger>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];
  return (
    <div>
      <PageHeader
        title={t(titles[kind])}
        extra={
          can(`${fn}:create`) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ row: null })}>
              {t('pt.new', { kind: label(partnerKindLabels[kind]) })}
            </Button>
          )
        }
      />
      <div className="erp-panel">
        <DataTable<PartnerDto>
          queryKey={`partners:${kind}`}
          url={paths[kind]}
          rowKey="id"
          columns={columns}
          filters={[
            { name: 'q', label: t('common.keyword'), placeholder: t('pt.search') },
            {
              name: 'active',
              label: t('common.status'),
              type: 'select',
              width: 100,
              options: [
                { value: 'true', label: t('common.active') },
                { value: 'false', label: t('common.inactive') },
              ],
            },
          ]}
          exportUrl={`${paths[kind]}/export`}
          exportGrant={`${fn}:export`}
          onRow={(r) => ({ onDoubleClick: () => can(`${fn}:edit`) && setEditing({ row: r }) })}
        />
      </div>
      {editing && (
        <PartnerDrawer
          key={kind}
          kind={kind}
          row={editing.row}
          onClose={(saved) => {
            setEditing(null);
            if (saved) void reload();
          }}
        />
      )}
    </div>
  );
}
