import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  BARCODE_KINDS,
  type BarcodeKind,
  barcodeKindLabels,
  checkBarcode,
  createProductBody,
  type Page,
  PRICE_TYPES,
  PRODUCT_FLAGS,
  type PriceRowDto,
  priceTypeLabels,
  productFlagLabels,
  updateProductBody,
} from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tag,
} from 'antd';
import type { Rule } from 'antd/es/form';
import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { ApiError, api, errorText } from '../../shared/api';
import { FormError } from '../../shared/FormError';
import { fmtDateTime, fmtDecimal } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useLabel, useLocale, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import type { ProductDto } from './api';
import { m } from './messages';
import { CategorySelect, CodeSelect, PartnerSelect } from './pickers';

/** Fields whose cleared input means "remove the value" on edit. */
const NULLABLE = [
  'baseUnitId',
  'categoryId',
  'brandId',
  'manufacturerId',
  'defaultSupplierId',
  'shelfLifeDays',
  'minRequisitionQty',
  'scaleCode',
  'origin',
  'remarks',
] as const;

function toFormValues(p: ProductDto) {
  return {
    ...p,
    barcodes: p.barcodes.map((b) => ({
      barcode: b.barcode,
      kind: b.kind,
      unitId: b.unitId ?? undefined,
      isPrimary: b.isPrimary,
    })),
    units: p.units.map((u) => ({ unitId: u.unitId, factor: u.factor })),
  };
}

function PriceHistory({ productId }: { productId: number }) {
  const t = useT(m);
  const label = useLabel();
  const q = useQuery({
    queryKey: ['list', 'prices', { productId }],
    queryFn: () => api.get<Page<PriceRowDto>>('/api/prices', { productId, pageSize: 100 }),
  });
  return (
    <Table<PriceRowDto>
      size="small"
      bordered
      rowKey="id"
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      pagination={false}
      columns={[
        { title: t('pr.type'), dataIndex: 'priceType', render: (v: PriceRowDto['priceType']) => label(priceTypeLabels[v]) },
        {
          title: t('pr.scope'),
          key: 'scope',
          render: (_: unknown, r) => (r.scope === 'all' ? t('common.all') : r.scope === 'region' ? r.region : r.storeName),
        },
        { title: t('pr.price'), dataIndex: 'price', align: 'right', render: (v: string) => fmtDecimal(v, 2) },
        { title: t('pr.from'), dataIndex: 'effectiveFrom', render: fmtDateTime },
        { title: t('pr.to'), dataIndex: 'effectiveTo', render: (v: string | null) => (v ? fmtDateTime(v) : t('pr.openEnded')) },
        {
          title: t('pr.source'),
          dataIndex: 'source',
          render: (v: string, r) => {
            const k = `source.${v}` as Parameters<typeof t>[0];
            const text = t(k) === k ? v : t(k);
            return r.sourceDocumentId ? <Link to={`/documents/${r.sourceDocumentId}`}>{text}</Link> : text;
          },
        },
        {
          title: t('common.status'),
          dataIndex: 'cancelled',
          render: (v: boolean) => (v ? <Tag>{t('pr.cancelled')}</Tag> : null),
        },
      ]}
    />
  );
}

export default function ProductEditPage() {
  const t = useT(m);
  const label = useLabel();
  const { locale } = useLocale();
  const { id: idParam } = useParams();
  const creating = idParam === undefined || idParam === 'new';
  const id = creating ? undefined : Number(idParam);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can } = useSession();
  const [form] = Form.useForm();
  const zf = useZodForm((creating ? createProductBody : updateProductBody) as z.ZodType, form);
  const product = useQuery({
    queryKey: ['products', id],
    queryFn: () => api.get<ProductDto>(`/api/products/${id}`),
    enabled: !creating,
  });
  const editable = creating ? can('product:create') : can('product:edit');
  const units = Form.useWatch('units', form) as { unitId?: number }[] | undefined;
  const weighed = Form.useWatch('weighed', form) as boolean | undefined;
  const batchTracked = Form.useWatch('batchTracked', form) as boolean | undefined;

  useEffect(() => {
    if (product.data) form.setFieldsValue(toFormValues(product.data));
  }, [product.data, form]);

  if (!creating && product.isLoading) return <Spin />;
  if (!creating && (product.isError || !product.data)) {
    const notFound = product.error instanceof ApiError && product.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={errorText(product.error)}
        extra={<Link to="/catalog/products">{t('common.back')}</Link>}
      />
    );
  }

  const barcodeRule = (i: number): Rule => ({
    validator: async (_r, value: string | undefined) => {
      if (!value) return;
      const kind = form.getFieldValue(['barcodes', i, 'kind']) as BarcodeKind | undefined;
      const r = checkBarcode(value, kind);
      if (!r.ok) throw new Error(locale === 'en' ? r.en : r.zh);
    },
  });

  const unitOptionsFor = () => (units ?? []).map((u) => u.unitId).filter((x): x is number => typeof x === 'number');

  const save = (values: Record<string, unknown>) =>
    zf.submit(
      creating ? values : { ...values, version: product.data!.version },
      async (cmd) => {
        const saved = creating
          ? await api.post<ProductDto>('/api/products', cmd)
          : await api.patch<ProductDto>(`/api/products/${id}`, cmd);
        qc.setQueryData(['products', saved.id], saved);
        await qc.invalidateQueries({ queryKey: ['list', 'products'] });
        await qc.invalidateQueries({ queryKey: ['list', 'prices'] });
        message.success(t('p.saved', { code: saved.code }));
        if (creating) navigate(`/catalog/products/${saved.id}`, { replace: true });
        else form.setFieldsValue(toFormValues(saved));
      },
      creating ? undefined : { nullKeys: NULLABLE },
    );

  const col = { xs: 24, md: 12, xl: 8 };
  return (
    <div>
      <PageHeader
        title={creating ? t('page.productNew') : `${product.data!.code} ${product.data!.name}`}
        subTitle={!creating && product.data && !product.data.active ? <Tag>{t('common.inactive')}</Tag> : undefined}
        extra={
          <Space>
            <Button onClick={() => navigate('/catalog/products')}>{t('common.back')}</Button>
            {editable && (
              <Button type="primary" onClick={() => form.submit()} loading={zf.submitting} data-testid="product-save">
                {t('common.save')}
              </Button>
            )}
          </Space>
        }
      />
      <FormError error={zf.error} onClose={() => zf.setError(null)} />
      <Form
        form={form}
        layout="vertical"
        disabled={!editable}
        initialValues={
          creating
            ? { taxRate: '13', barcodes: [{ isPrimary: true }], units: [], batchTracked: false, weighed: false }
            : undefined
        }
        onFinish={save}
        scrollToFirstError
      >
        <Card size="small" title={t('p.tabBasic')}>
          <Row gutter={16}>
            <Col {...col}>
              <Form.Item label={t('p.code')} {...zf.item('code')} required={creating}>
                <Input maxLength={32} disabled={!creating} autoFocus={creating} data-testid="product-code" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label={t('p.name')} {...zf.item('name')} required>
                <Input maxLength={100} data-testid="product-name" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label={t('p.spec')} {...zf.item('spec')}>
                <Input maxLength={100} placeholder="500ml / 24*1" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label={t('p.category')} {...zf.item('categoryId')}>
                <CategorySelect />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label={t('p.brand')} {...zf.item('brandId')}>
                <CodeSelect path="/api/brands" grant="brand:view" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label={t('p.baseUnit')} {...zf.item('baseUnitId')}>
                <CodeSelect path="/api/units" grant="unit:view" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label={t('p.manufacturer')} {...zf.item('manufacturerId')}>
                <PartnerSelect kind="manufacturers" grant="manufacturer:view" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label={t('p.supplier')} {...zf.item('defaultSupplierId')}>
                <PartnerSelect kind="suppliers" grant="supplier:view" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label={t('p.taxRate')} {...zf.item('taxRate')}>
                <Input style={{ width: 120 }} suffix="%" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label={t('p.origin')} {...zf.item('origin')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} xl={16}>
              <Form.Item label={t('p.remarks')} {...zf.item('remarks')}>
                <Input maxLength={500} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card size="small" title={t('p.tabCodes')} style={{ marginTop: 12 }}>
          <Row gutter={24}>
            <Col xs={24} xl={14}>
              <div style={{ fontWeight: 500, marginBottom: 8 }}>{t('p.barcodes')}</div>
              <Form.List name="barcodes">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f, i) => (
                      <Space key={f.key} align="start" style={{ display: 'flex' }} wrap>
                        <Form.Item
                          name={[f.name, 'barcode']}
                          rules={[...zf.rules(['barcodes', i, 'barcode']), barcodeRule(i)]}
                          required
                          dependencies={[['barcodes', i, 'kind']]}
                        >
                          <Input
                            placeholder={t('p.barcode')}
                            style={{ width: 190 }}
                            maxLength={32}
                            data-testid={`barcode-${i}`}
                          />
                        </Form.Item>
                        <Form.Item name={[f.name, 'kind']}>
                          <Select
                            placeholder={t('p.barcodeAuto')}
                            allowClear
                            style={{ width: 140 }}
                            options={BARCODE_KINDS.map((k) => ({ value: k, label: label(barcodeKindLabels[k]) }))}
                          />
                        </Form.Item>
                        <Form.Item name={[f.name, 'unitId']}>
                          <CodeSelect
                            path="/api/units"
                            grant="unit:view"
                            placeholder={t('p.barcodeUnit')}
                            style={{ width: 130 }}
                            optionFilter={unitOptionsFor()}
                          />
                        </Form.Item>
                        <Form.Item name={[f.name, 'isPrimary']} valuePropName="checked">
                          <Checkbox>{t('p.primary')}</Checkbox>
                        </Form.Item>
                        <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                      </Space>
                    ))}
                    <Button
                      icon={<PlusOutlined />}
                      onClick={() => add({ isPrimary: fields.length === 0 })}
                      data-testid="barcode-add"
                    >
                      {t('p.addBarcode')}
                    </Button>
                  </>
                )}
              </Form.List>
            </Col>
            <Col xs={24} xl={10}>
              <div style={{ fontWeight: 500, marginBottom: 8 }}>{t('p.units')}</div>
              <Form.List name="units">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f, i) => (
                      <Space key={f.key} align="start" style={{ display: 'flex' }}>
                        <Form.Item name={[f.name, 'unitId']} rules={zf.rules(['units', i, 'unitId'])} required>
                          <CodeSelect path="/api/units" grant="unit:view" placeholder={t('p.unit')} style={{ width: 130 }} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'factor']} rules={zf.rules(['units', i, 'factor'])} required>
                          <Input placeholder={t('p.factor')} style={{ width: 200 }} />
                        </Form.Item>
                        <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                      </Space>
                    ))}
                    <Button icon={<PlusOutlined />} onClick={() => add({})}>
                      {t('p.addUnit')}
                    </Button>
                  </>
                )}
              </Form.List>
            </Col>
          </Row>
        </Card>

        <Card size="small" title={t('p.tabFlags')} style={{ marginTop: 12 }}>
          <Row gutter={16}>
            <Col xs={12} md={6} xl={4}>
              <Form.Item label={t('p.batchTracked')} name="batchTracked" valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item label={t('p.shelfLife')} {...zf.item('shelfLifeDays')}>
                <InputNumber min={1} max={36500} precision={0} disabled={!batchTracked && !editable} style={{ width: 120 }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item label={t('p.minReq')} {...zf.item('minRequisitionQty')}>
                <Input style={{ width: 120 }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item label={t('p.weighed')} name="weighed" valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item label={t('p.scaleCode')} {...zf.item('scaleCode')}>
                <Input style={{ width: 120 }} disabled={!weighed} maxLength={8} />
              </Form.Item>
            </Col>
            {!creating && (
              <Col xs={12} md={6} xl={4}>
                <Form.Item label={t('common.status')} name="active" valuePropName="checked">
                  <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
                </Form.Item>
              </Col>
            )}
          </Row>
          <Space size="large" wrap>
            {PRODUCT_FLAGS.map((f) => (
              <Form.Item key={f} name={f} valuePropName="checked" style={{ marginBottom: 0 }}>
                <Checkbox>{label(productFlagLabels[f])}</Checkbox>
              </Form.Item>
            ))}
          </Space>
        </Card>

        {creating && can('price:edit') && (
          <Card size="small" title={t('p.prices')} style={{ marginTop: 12 }}>
            <Alert type="info" showIcon title={t('p.pricesHint')} style={{ marginBottom: 12 }} />
            <Row gutter={16}>
              {PRICE_TYPES.map((pt) => (
                <Col key={pt} xs={12} md={8} xl={4}>
                  <Form.Item label={label(priceTypeLabels[pt])} name={['prices', pt]} rules={zf.rules(['prices', pt])}>
                    <Input prefix="¥" style={{ width: 140 }} data-testid={`price-${pt}`} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </Card>
        )}
      </Form>
      {!creating && can('price:view') && (
        <Card size="small" title={t('p.priceHistory')} style={{ marginTop: 12 }}>
          <PriceHistory productId={id!} />
        </Card>
      )}
    </div>
  );
}
