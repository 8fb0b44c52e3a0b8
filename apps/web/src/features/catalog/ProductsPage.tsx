import { PlusOutlined } from '@ant-design/icons';
import { PRODUCT_FLAGS, productFlagLabels } from '@erp/contracts';
import { Button, Space, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router';
import { DataTable } from '../../shared/DataTable';
import { fmtDateTime } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import type { ProductDto } from './api';
import { m } from './messages';
import { CategorySelect, CodeSelect } from './pickers';

export default function ProductsPage() {
  const t = useT(m);
  const label = useLabel();
  const navigate = useNavigate();
  const { can } = useSession();
  const columns: ColumnsType<ProductDto> = [
    {
      title: t('p.code'),
      dataIndex: 'code',
      key: 'code',
      sorter: true,
      width: 120,
      fixed: 'left',
      render: (v: string, r) => <Link to={`/catalog/products/${r.id}`}>{v}</Link>,
    },
    { title: t('p.name'), dataIndex: 'name', key: 'name', sorter: true, width: 220 },
    { title: t('p.spec'), dataIndex: 'spec', width: 110 },
    { title: t('p.baseUnit'), dataIndex: 'baseUnitName', width: 70 },
    {
      title: t('p.barcodes'),
      dataIndex: 'barcodes',
      width: 170,
      render: (bs: ProductDto['barcodes']) => {
        if (!bs.length) return null;
        const primary = bs.find((b) => b.isPrimary) ?? bs[0]!;
        return (
          <Tooltip title={bs.map((b) => b.barcode).join('\n')}>
            <span className="erp-num">{primary.barcode}</span>
            {bs.length > 1 && <Tag style={{ marginInlineStart: 4 }}>+{bs.length - 1}</Tag>}
          </Tooltip>
        );
      },
    },
    { title: t('p.category'), dataIndex: 'categoryName', key: 'category', sorter: true, width: 120 },
    { title: t('p.brand'), dataIndex: 'brandName', key: 'brand', sorter: true, width: 100 },
    { title: t('p.taxRate'), dataIndex: 'taxRate', width: 70, align: 'right' },
    {
      title: t('p.flags'),
      key: 'flags',
      width: 170,
      render: (_: unknown, r) => (
        <Space size={2} wrap>
          {r.batchTracked && <Tag color="blue">{t('p.batchTracked')}</Tag>}
          {r.weighed && <Tag color="cyan">{t('p.weighed')}</Tag>}
          {PRODUCT_FLAGS.filter((f) => r[f]).map((f) => (
            <Tag key={f} color={f === 'prescription' ? 'purple' : 'orange'}>
              {label(productFlagLabels[f])}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('p.status'),
      dataIndex: 'active',
      width: 70,
      render: (v: boolean) => (v ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
    },
    { title: t('p.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', sorter: true, width: 150, render: fmtDateTime },
  ];
  return (
    <div>
      <PageHeader
        title={t('page.products')}
        extra={
          can('product:create') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/catalog/products/new')}
              data-testid="product-new"
            >
              {t('p.new')}
            </Button>
          )
        }
      />
      <div className="erp-panel">
        <DataTable<ProductDto>
          queryKey="products"
          url="/api/products"
          rowKey="id"
          columns={columns}
          filters={[
            { name: 'q', label: t('common.keyword'), placeholder: t('p.search'), width: 200 },
            { name: 'barcode', label: t('p.barcodeSearch'), placeholder: t('p.barcodeSearchHint'), width: 160 },
            {
              name: 'categoryId',
              label: t('p.category'),
              type: 'custom',
              numeric: true,
              render: () => <CategorySelect style={{ width: 180 }} />,
            },
            {
              name: 'brandId',
              label: t('p.brand'),
              type: 'custom',
              numeric: true,
              render: () => <CodeSelect path="/api/brands" grant="brand:view" style={{ width: 140 }} />,
            },
            {
              name: 'active',
              label: t('p.status'),
              type: 'select',
              width: 100,
              options: [
                { value: 'true', label: t('common.active') },
                { value: 'false', label: t('common.inactive') },
              ],
            },
          ]}
          exportUrl="/api/products/export"
          exportGrant="product:export"
          onRow={(r) => ({ onDoubleClick: () => navigate(`/catalog/products/${r.id}`) })}
        />
      </div>
    </div>
  );
}
