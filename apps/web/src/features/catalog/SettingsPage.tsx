import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  SCALE_VALUE_KINDS,
  type ScaleBarcodeSettings,
  type StoreCatalogDto,
  scaleBarcodeSettingsBody,
  storeCatalogBody,
} from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Form, Input, InputNumber, Row, Select, Space, Spin, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../shared/api';
import { FormError } from '../../shared/FormError';
import { useZodForm } from '../../shared/forms';
import { useT } from '../../shared/i18n';
import { OrgSelect } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { m } from './messages';
import { CategorySelect } from './pickers';

function ScaleSettings() {
  const t = useT(m);
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const zf = useZodForm(scaleBarcodeSettingsBody, form);
  const q = useQuery({
    queryKey: ['catalog-settings', 'scale'],
    queryFn: () => api.get<ScaleBarcodeSettings>('/api/catalog/settings/scale-barcode'),
  });
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data);
  }, [q.data, form]);
  const editable = can('catalog_settings:edit');
  if (q.isLoading) return <Spin />;
  return (
    <Form
      form={form}
      layout="vertical"
      disabled={!editable}
      onFinish={(v) =>
        zf.submit(v, async (cmd) => {
          const saved = await api.put<ScaleBarcodeSettings>('/api/catalog/settings/scale-barcode', cmd);
          qc.setQueryData(['catalog-settings', 'scale'], saved);
          message.success(t('common.saved'));
        })
      }
    >
      <FormError error={zf.error} />
      <Space size="large">
        <Form.Item label={t('common.enable')} name="enabled" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label={t('set.verify')} name="verifyCheckDigit" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
      <Form.List name="layouts">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} align="end" wrap style={{ display: 'flex' }}>
                <Form.Item label={t('set.prefix')} name={[f.name, 'prefix']} rules={zf.rules(['layouts', i, 'prefix'])}>
                  <Input style={{ width: 80 }} maxLength={4} />
                </Form.Item>
                <Form.Item
                  label={t('set.itemDigits')}
                  name={[f.name, 'itemCodeLength']}
                  rules={zf.rules(['layouts', i, 'itemCodeLength'])}
                >
                  <InputNumber min={1} max={10} precision={0} />
                </Form.Item>
                <Form.Item
                  label={t('set.valueDigits')}
                  name={[f.name, 'valueLength']}
                  rules={zf.rules(['layouts', i, 'valueLength'])}
                >
                  <InputNumber min={1} max={10} precision={0} />
                </Form.Item>
                <Form.Item label={t('set.valueKind')} name={[f.name, 'valueKind']}>
                  <Select
                    style={{ width: 100 }}
                    options={SCALE_VALUE_KINDS.map((k) => ({
                      value: k,
                      label: k === 'price' ? t('set.price') : t('set.weight'),
                    }))}
                  />
                </Form.Item>
                <Form.Item label={t('set.decimals')} name={[f.name, 'decimals']} rules={zf.rules(['layouts', i, 'decimals'])}>
                  <InputNumber min={0} max={4} precision={0} />
                </Form.Item>
                <Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                </Form.Item>
              </Space>
            ))}
            <Space>
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ prefix: '', itemCodeLength: 5, valueLength: 5, valueKind: 'price', decimals: 2 })}
              >
                {t('common.create')}
              </Button>
              {editable && (
                <Button type="primary" htmlType="submit" loading={zf.submitting}>
                  {t('common.save')}
                </Button>
              )}
            </Space>
          </>
        )}
      </Form.List>
    </Form>
  );
}

function StoreCatalog() {
  const t = useT(m);
  const { can, currentOrg } = useSession();
  const { message } = App.useApp();
  const [storeId, setStoreId] = useState<number | undefined>(currentOrg?.kind === 'store' ? currentOrg.id : undefined);
  const [form] = Form.useForm();
  const zf = useZodForm(storeCatalogBody, form);
  const q = useQuery({
    queryKey: ['store-catalog', storeId],
    queryFn: () => api.get<StoreCatalogDto>(`/api/stores/${storeId}/catalog`),
    enabled: !!storeId,
  });
  useEffect(() => {
    if (q.data) form.setFieldsValue({ categoryIds: q.data.categoryIds });
  }, [q.data, form]);
  return (
    <>
      <OrgSelect
        kinds={['store']}
        value={storeId}
        onChange={(v) => setStoreId(v as number | undefined)}
        style={{ width: 260, marginBottom: 12 }}
      />
      {!storeId ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          disabled={!can('store_catalog:edit')}
          onFinish={(v) =>
            zf.submit({ categoryIds: v.categoryIds ?? [] }, async (cmd) => {
              await api.put(`/api/stores/${storeId}/catalog`, cmd);
              message.success(t('common.saved'));
              await q.refetch();
            })
          }
        >
          <FormError error={zf.error} />
          <Form.Item name="categoryIds">
            <CategorySelect multiple treeCheckable style={{ width: '100%' }} />
          </Form.Item>
          {can('store_catalog:edit') && (
            <Button type="primary" htmlType="submit" loading={zf.submitting}>
              {t('common.save')}
            </Button>
          )}
        </Form>
      )}
    </>
  );
}

export default function SettingsPage() {
  const t = useT(m);
  const { can } = useSession();
  return (
    <div>
      <PageHeader title={t('page.settings')} />
      <Row gutter={12}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('set.scale')}>
            <ScaleSettings />
          </Card>
        </Col>
        {can('store_catalog:view') && (
          <Col xs={24} xl={10}>
            <Card size="small" title={t('sc.title')}>
              <Alert type="info" showIcon title={t('sc.hint')} style={{ marginBottom: 12 }} />
              <StoreCatalog />
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
