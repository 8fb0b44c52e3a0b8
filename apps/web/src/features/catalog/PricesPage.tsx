import { EditOutlined, SearchOutlined } from '@ant-design/icons';
import {
  PRICE_SCOPES,
  PRICE_TYPES,
  type PriceRowDto,
  type PriceType,
  priceScopeLabels,
  priceTypeLabels,
  setPricesBody,
} from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Descriptions, Form, Input, Modal, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { EnterSubmits, FormError } from '../../shared/FormError';
import { fmtDateTime, fmtDecimal } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect } from '../../shared/ProductSelect';
import { useSession } from '../../shared/session';
import { m } from './messages';

function SetPriceModal({ onClose }: { onClose: (saved: boolean) => void }) {
  const t = useT(m);
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const zf = useZodForm(setPricesBody, form);
  const scope = Form.useWatch('scope', form) as string | undefined;
  return (
    <Modal
      open
      title={t('pr.set')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={zf.submitting}
      okText={t('common.save')}
      destroyOnHidden
      width={560}
    >
      <Alert type="warning" showIcon title={t('pr.setHint')} style={{ marginBottom: 12 }} />
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        initialValues={{ priceType: 'retail', scope: 'all' }}
        onFinish={(v: Record<string, unknown>) =>
          zf.submit(
            {
              effectiveFrom: (v.effectiveFrom as Dayjs | undefined)?.toISOString(),
              prices: [
                {
                  productId: v.productId,
                  priceType: v.priceType,
                  price: v.price,
                  scope: v.scope,
                  region: v.scope === 'region' ? v.region : undefined,
                  storeId: v.scope === 'store' ? v.storeId : undefined,
                },
              ],
            },
            async (cmd) => {
              await api.post('/api/prices', cmd);
              message.success(t('common.saved'));
              onClose(true);
            },
          )
        }
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        <Form.Item label={t('pr.product')} name="productId" rules={zf.rules(['prices', 0, 'productId'])} required>
          <ProductSelect autoFocus />
        </Form.Item>
        <Form.Item label={t('pr.type')} name="priceType" required>
          <Select options={PRICE_TYPES.map((p) => ({ value: p, label: label(priceTypeLabels[p]) }))} />
        </Form.Item>
        <Form.Item label={t('pr.scope')} name="scope" required>
          <Select options={PRICE_SCOPES.map((s) => ({ value: s, label: label(priceScopeLabels[s]) }))} />
        </Form.Item>
        {scope === 'region' && (
          <Form.Item label={t('pr.region')} name="region" required>
            <Input maxLength={50} />
          </Form.Item>
        )}
        {scope === 'store' && (
          <Form.Item label={t('pr.store')} name="storeId" required>
            <OrgSelect kinds={['store']} />
          </Form.Item>
        )}
        <Form.Item label={t('pr.price')} name="price" rules={zf.rules(['prices', 0, 'price'])} required>
          <Input prefix="¥" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={t('pr.from')} name="effectiveFrom" extra={t('pc.effectiveHint')}>
          <DatePicker showTime />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResolveModal({ onClose }: { onClose: () => void }) {
  const t = useT(m);
  const label = useLabel();
  const { currentOrg, orgs } = useSession();
  const [storeId, setStoreId] = useState<number | undefined>(
    currentOrg?.kind === 'store' ? currentOrg.id : orgs.find((o) => o.kind === 'store')?.id,
  );
  const [productId, setProductId] = useState<number | undefined>();
  const [at, setAt] = useState<Dayjs | null>(null);
  const q = useQuery({
    queryKey: ['price-resolve', storeId, productId, at?.toISOString()],
    queryFn: () =>
      api.get<{ items: { productId: number; prices: Partial<Record<PriceType, string>> }[]; at: string }>('/api/prices/resolve', {
        storeId,
        productIds: String(productId),
        at: at?.toISOString(),
      }),
    enabled: !!storeId && !!productId,
  });
  const prices = q.data?.items[0]?.prices ?? {};
  return (
    <Modal open title={t('pr.resolve')} onCancel={onClose} footer={null} width={620}>
      <Alert type="info" showIcon title={t('pr.resolveHint')} style={{ marginBottom: 12 }} />
      <Space wrap style={{ marginBottom: 12 }}>
        <OrgSelect
          kinds={['store']}
          value={storeId}
          onChange={(v) => setStoreId(v as number)}
          style={{ width: 200 }}
          allowClear={false}
        />
        <ProductSelect value={productId} onChange={(v) => setProductId(v)} style={{ width: 260 }} />
        <DatePicker showTime value={at} onChange={setAt} placeholder={t('pr.at')} />
      </Space>
      {productId && (
        <Descriptions bordered size="small" column={1}>
          {PRICE_TYPES.map((p) => (
            <Descriptions.Item key={p} label={label(priceTypeLabels[p])}>
              {q.isFetching ? '…' : prices[p] !== undefined ? `¥ ${fmtDecimal(prices[p], 2)}` : <Tag>{t('pr.none')}</Tag>}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Modal>
  );
}

export default function PricesPage() {
  const t = useT(m);
  const label = useLabel();
  const qc = useQueryClient();
  const { can } = useSession();
  const [modal, setModal] = useState<'set' | 'resolve' | null>(null);
  const sourceText = (v: string) => {
    const k = `source.${v}` as Parameters<typeof t>[0];
    return t(k) === k ? v : t(k);
  };
  const columns: ColumnsType<PriceRowDto> = [
    {
      title: t('pr.product'),
      key: 'product',
      width: 240,
      render: (_: unknown, r) => <Link to={`/catalog/products/${r.productId}`}>{`${r.productCode} ${r.productName}`}</Link>,
    },
    { title: t('pr.type'), dataIndex: 'priceType', width: 100, render: (v: PriceType) => label(priceTypeLabels[v]) },
    {
      title: t('pr.scope'),
      key: 'scope',
      width: 140,
      render: (_: unknown, r) =>
        r.scope === 'all'
          ? label(priceScopeLabels.all)
          : r.scope === 'region'
            ? `${label(priceScopeLabels.region)}: ${r.region}`
            : r.storeName,
    },
    {
      title: t('pr.price'),
      dataIndex: 'price',
      width: 100,
      align: 'right',
      render: (v: string) => <span className="erp-num">{fmtDecimal(v, 2)}</span>,
    },
    { title: t('pr.from'), dataIndex: 'effectiveFrom', width: 160, render: fmtDateTime },
    {
      title: t('pr.to'),
      dataIndex: 'effectiveTo',
      width: 160,
      render: (v: string | null) => (v ? fmtDateTime(v) : t('pr.openEnded')),
    },
    {
      title: t('pr.source'),
      dataIndex: 'source',
      width: 110,
      render: (v: string, r) =>
        r.sourceDocumentId ? <Link to={`/documents/${r.sourceDocumentId}`}>{sourceText(v)}</Link> : sourceText(v),
    },
    {
      title: t('common.status'),
      dataIndex: 'cancelled',
      width: 80,
      render: (v: boolean) => (v ? <Tag>{t('pr.cancelled')}</Tag> : null),
    },
  ];
  return (
    <div>
      <PageHeader
        title={t('page.prices')}
        extra={
          <Space>
            <Button icon={<SearchOutlined />} onClick={() => setModal('resolve')}>
              {t('pr.resolve')}
            </Button>
            {can('price:edit') && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setModal('set')}>
                {t('pr.set')}
              </Button>
            )}
          </Space>
        }
      />
      <div className="erp-panel">
        <DataTable<PriceRowDto>
          queryKey="prices"
          url="/api/prices"
          rowKey="id"
          columns={columns}
          filters={[
            {
              name: 'productId',
              label: t('pr.product'),
              type: 'custom',
              numeric: true,
              render: () => <ProductSelect style={{ width: 240 }} />,
            },
            {
              name: 'priceType',
              label: t('pr.type'),
              type: 'select',
              width: 120,
              options: PRICE_TYPES.map((p) => ({ value: p, label: label(priceTypeLabels[p]) })),
            },
            {
              name: 'scope',
              label: t('pr.scope'),
              type: 'select',
              width: 110,
              options: PRICE_SCOPES.map((s) => ({ value: s, label: label(priceScopeLabels[s]) })),
            },
            { name: 'includeCancelled', label: t('pr.includeCancelled'), type: 'switch' },
          ]}
          exportUrl="/api/prices/export"
          exportGrant="price:export"
        />
      </div>
      {modal === 'set' && (
        <SetPriceModal
          onClose={(saved) => {
            setModal(null);
            if (saved) void qc.invalidateQueries({ queryKey: ['list', 'prices'] });
          }}
        />
      )}
      {modal === 'resolve' && <ResolveModal onClose={() => setModal(null)} />}
    </div>
  );
}
