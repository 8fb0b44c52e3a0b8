import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { createDocumentBody, PRICE_SCOPES, PRICE_TYPES, priceScopeLabels, priceTypeLabels } from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Space, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { FormError } from '../../shared/FormError';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect } from '../../shared/ProductSelect';
import { useSession } from '../../shared/session';
import { m } from './messages';

interface LineValues {
  productId?: number;
  unitPrice?: string;
  attrs?: { priceType?: string; scope?: string; region?: string; storeId?: number };
}

/** Writes a price-change document (调价单): header times, one line per product × price type × scope. */
export default function PriceChangeNewPage() {
  const t = useT(m);
  const label = useLabel();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { me, currentOrg, orgs } = useSession();
  const [form] = Form.useForm();
  const zf = useZodForm(createDocumentBody, form);
  const lines = (Form.useWatch('lines', form) as LineValues[] | undefined) ?? [];
  const defaultOrg = currentOrg?.id ?? orgs.find((o) => o.kind === 'hq')?.id ?? me?.orgId;
  const orgId = Form.useWatch('orgId', form) as number | undefined;
  const storeOrg = orgs.find((o) => o.id === orgId);
  const isStore = storeOrg?.kind === 'store';

  return (
    <div>
      <PageHeader
        title={t('page.priceChangeNew')}
        extra={
          <Space>
            <Button onClick={() => navigate('/catalog/price-changes')}>{t('common.back')}</Button>
            <Button type="primary" onClick={() => form.submit()} loading={zf.submitting} data-testid="pc-save">
              {t('common.save')}
            </Button>
          </Space>
        }
      />
      <Alert type="info" showIcon title={t('pc.hint')} style={{ marginBottom: 12 }} />
      <FormError error={zf.error} onClose={() => zf.setError(null)} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ orgId: defaultOrg, lines: [{ attrs: { priceType: 'retail', scope: 'all' } }] }}
        onFinish={(v: Record<string, unknown>) => {
          const rows = (v.lines as LineValues[] | undefined) ?? [];
          if (!rows.length) {
            zf.setError(t('pc.noLines'));
            return;
          }
          return zf.submit(
            {
              docType: 'price_change',
              orgId: v.orgId,
              remarks: v.remarks,
              attrs: {
                effectiveFrom: (v.effectiveFrom as Dayjs | undefined)?.toISOString(),
                effectiveTo: (v.effectiveTo as Dayjs | undefined)?.toISOString(),
              },
              lines: rows.map((l) => ({
                productId: l.productId,
                unitPrice: l.unitPrice,
                attrs: {
                  priceType: l.attrs?.priceType,
                  scope: l.attrs?.scope,
                  ...(l.attrs?.scope === 'region' ? { region: l.attrs.region } : {}),
                  ...(l.attrs?.scope === 'store' ? { storeId: l.attrs.storeId } : {}),
                },
              })),
            },
            async (cmd) => {
              const doc = await api.post<{ id: number; number: string }>('/api/documents', cmd);
              await qc.invalidateQueries({ queryKey: ['list', 'documents'] });
              message.success(t('pc.saved', { number: doc.number }));
              navigate(`/documents/${doc.id}`);
            },
          );
        }}
      >
        <Card size="small">
          <Space wrap size="large" align="start">
            <Form.Item label={t('pc.org')} {...zf.item('orgId')}>
              <OrgSelect style={{ width: 240 }} allowClear={false} />
            </Form.Item>
            <Form.Item label={t('pc.effectiveFrom')} name="effectiveFrom" extra={t('pc.effectiveHint')}>
              <DatePicker showTime />
            </Form.Item>
            <Form.Item label={t('pc.effectiveTo')} name="effectiveTo">
              <DatePicker showTime />
            </Form.Item>
            <Form.Item label={t('common.remarks')} {...zf.item('remarks')}>
              <Input style={{ width: 320 }} maxLength={1000} />
            </Form.Item>
          </Space>
        </Card>
        <Card size="small" title={t('pc.lines')} style={{ marginTop: 12 }}>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                <Table
                  size="small"
                  bordered
                  pagination={false}
                  rowKey="key"
                  dataSource={fields}
                  columns={[
                    {
                      title: t('pr.product'),
                      key: 'p',
                      render: (_: unknown, f, i) => (
                        <Form.Item
                          name={[f.name, 'productId']}
                          rules={zf.rules(['lines', i, 'productId'])}
                          required
                          noStyle={false}
                          style={{ margin: 0 }}
                        >
                          <ProductSelect style={{ width: 300 }} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('pr.type'),
                      key: 'type',
                      width: 140,
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, 'attrs', 'priceType']} style={{ margin: 0 }}>
                          <Select options={PRICE_TYPES.map((p) => ({ value: p, label: label(priceTypeLabels[p]) }))} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('pr.scope'),
                      key: 'scope',
                      width: 300,
                      render: (_: unknown, f, i) => (
                        <Space.Compact>
                          <Form.Item name={[f.name, 'attrs', 'scope']} style={{ margin: 0 }}>
                            <Select
                              style={{ width: 110 }}
                              options={PRICE_SCOPES.filter((s) => !isStore || s === 'store').map((s) => ({
                                value: s,
                                label: label(priceScopeLabels[s]),
                              }))}
                            />
                          </Form.Item>
                          {lines[i]?.attrs?.scope === 'region' && (
                            <Form.Item name={[f.name, 'attrs', 'region']} style={{ margin: 0 }}>
                              <Input placeholder={t('pr.region')} style={{ width: 150 }} />
                            </Form.Item>
                          )}
                          {lines[i]?.attrs?.scope === 'store' && (
                            <Form.Item name={[f.name, 'attrs', 'storeId']} style={{ margin: 0 }}>
                              <OrgSelect kinds={['store']} style={{ width: 170 }} placeholder={t('pr.store')} />
                            </Form.Item>
                          )}
                        </Space.Compact>
                      ),
                    },
                    {
                      title: t('pc.newPrice'),
                      key: 'price',
                      width: 150,
                      render: (_: unknown, f, i) => (
                        <Form.Item
                          name={[f.name, 'unitPrice']}
                          rules={zf.rules(['lines', i, 'unitPrice'])}
                          required
                          style={{ margin: 0 }}
                        >
                          <Input prefix="¥" />
                        </Form.Item>
                      ),
                    },
                    {
                      title: '',
                      key: 'x',
                      width: 50,
                      render: (_: unknown, f) => (
                        <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                      ),
                    },
                  ]}
                />
                <Button
                  icon={<PlusOutlined />}
                  style={{ marginTop: 8 }}
                  onClick={() =>
                    add({
                      attrs: {
                        priceType: 'retail',
                        scope: isStore ? 'store' : 'all',
                        storeId: isStore ? storeOrg?.id : undefined,
                      },
                    })
                  }
                >
                  {t('pc.addLine')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
      </Form>
    </div>
  );
}
