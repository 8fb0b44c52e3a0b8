import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { categoryBody, updateCategoryBody } from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Space,
  Spin,
  Switch,
  Tag,
  Tree,
  type TreeDataNode,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { api, errorText } from '../../shared/api';
import { ExportButton } from '../../shared/ExportButton';
import { EnterSubmits, FormError } from '../../shared/FormError';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { type CategoryDto, useCategories } from './api';
import { m } from './messages';
import { CategorySelect } from './pickers';

function CreateModal({ parent, onClose }: { parent: CategoryDto | null; onClose: (saved?: CategoryDto) => void }) {
  const t = useT(m);
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const zf = useZodForm(categoryBody, form);
  return (
    <Modal
      open
      title={parent ? `${t('c.newChild')} · ${parent.code} ${label(parent)}` : t('c.new')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      confirmLoading={zf.submitting}
      okText={t('common.save')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        initialValues={{ parentId: parent?.id ?? null }}
        onFinish={(values) =>
          zf.submit({ ...values, parentId: parent?.id ?? null }, async (cmd) => {
            const saved = await api.post<CategoryDto>('/api/categories', cmd);
            message.success(t('common.created'));
            onClose(saved);
          })
        }
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        <Form.Item label={t('common.code')} {...zf.item('code')}>
          <Input autoFocus maxLength={32} />
        </Form.Item>
        <Form.Item label={t('common.name')} {...zf.item('name')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item label={t('common.nameEn')} {...zf.item('nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label={t('c.sort')} {...zf.item('sort')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EditPanel({ cat, onSaved, onDeleted }: { cat: CategoryDto; onSaved: () => void; onDeleted: () => void }) {
  const t = useT(m);
  const label = useLabel();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm();
  const zf = useZodForm(updateCategoryBody as z.ZodType, form);
  const editable = can('category:edit');
  useEffect(() => {
    form.setFieldsValue({ ...cat, nameEn: cat.nameEn ?? '' });
  }, [cat, form]);
  return (
    <div className="erp-panel" data-testid="category-detail">
      <PageHeader
        title={
          <Space>
            {cat.code} {label(cat)}{' '}
            <Tag>
              {t('c.level')} {cat.level}
            </Tag>
          </Space>
        }
        extra={
          <Space>
            <Link to={`/catalog/products?categoryId=${cat.id}`}>
              {t('c.products')}: {cat.productCount}
            </Link>
            {can('category:delete') && (
              <Button
                danger
                icon={<DeleteOutlined />}
                onClick={() =>
                  modal.confirm({
                    title: t('common.confirmTitle'),
                    content: t('c.deleteConfirm', { name: `${cat.code} ${label(cat)}` }),
                    okButtonProps: { danger: true },
                    onOk: async () => {
                      try {
                        await api.delete(`/api/categories/${cat.id}`);
                        message.success(t('c.deleted'));
                        onDeleted();
                      } catch (e) {
                        message.error(errorText(e));
                      }
                    },
                  })
                }
              >
                {t('common.delete')}
              </Button>
            )}
          </Space>
        }
      />
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ flex: '110px' }}
        style={{ maxWidth: 640 }}
        disabled={!editable}
        onFinish={(values) =>
          zf.submit(
            values,
            async (cmd) => {
              await api.patch(`/api/categories/${cat.id}`, cmd);
              message.success(t('common.saved'));
              onSaved();
            },
            { nullKeys: ['nameEn', 'parentId'] },
          )
        }
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        <Form.Item label={t('common.code')}>
          <Input value={cat.code} disabled />
        </Form.Item>
        <Form.Item label={t('c.parent')} {...zf.item('parentId')}>
          <CategorySelect placeholder={t('c.root')} />
        </Form.Item>
        <Form.Item label={t('common.name')} {...zf.item('name')} required>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item label={t('common.nameEn')} {...zf.item('nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label={t('c.sort')} {...zf.item('sort')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
        <Form.Item label={t('common.status')} name="active" valuePropName="checked">
          <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
        </Form.Item>
        {editable && (
          <Form.Item label=" " colon={false}>
            <Button type="primary" htmlType="submit" loading={zf.submitting}>
              {t('common.save')}
            </Button>
          </Form.Item>
        )}
      </Form>
    </div>
  );
}

export default function CategoriesPage() {
  const t = useT(m);
  const label = useLabel();
  const qc = useQueryClient();
  const { can } = useSession();
  const cats = useCategories();
  const [sp, setSp] = useSearchParams();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState<{ parent: CategoryDto | null } | null>(null);
  const selectedId = Number(sp.get('id') ?? '') || undefined;
  const selected = cats.data?.find((c) => c.id === selectedId);
  const reload = () => qc.invalidateQueries({ queryKey: ['categories'] });

  const treeData = useMemo(() => {
    const rows = cats.data ?? [];
    const needle = q.trim().toLowerCase();
    type N = TreeDataNode & { children: N[] };
    const nodes = new Map<number, N>();
    for (const c of rows) {
      nodes.set(c.id, {
        key: c.id,
        title: (
          <span style={c.active ? undefined : { color: '#999' }}>
            {c.code} {label(c)} <span style={{ color: '#999', fontSize: 12 }}>({c.productCount})</span>
          </span>
        ),
        children: [],
      });
    }
    const roots: N[] = [];
    for (const c of rows) {
      const n = nodes.get(c.id)!;
      const p = c.parentId !== null ? nodes.get(c.parentId) : undefined;
      if (p) p.children.push(n);
      else roots.push(n);
    }
    if (!needle) return roots;
    const keep = new Set<number>();
    const byId = new Map(rows.map((c) => [c.id, c]));
    for (const c of rows) {
      if (`${c.code} ${c.name} ${c.nameEn ?? ''}`.toLowerCase().includes(needle)) {
        let cur: CategoryDto | undefined = c;
        while (cur) {
          keep.add(cur.id);
          cur = cur.parentId !== null ? byId.get(cur.parentId) : undefined;
        }
      }
    }
    const prune = (ns: N[]): N[] =>
      ns.filter((n) => keep.has(n.key as number)).map((n) => ({ ...n, children: prune(n.children) }));
    return prune(roots);
  }, [cats.data, q, label]);

  return (
    <div>
      <PageHeader
        title={t('page.categories')}
        extra={
          <Space>
            {can('category:create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating({ parent: null })}>
                {t('c.new')}
              </Button>
            )}
            {can('category:create') && selected && (
              <Button icon={<PlusOutlined />} onClick={() => setCreating({ parent: selected })}>
                {t('c.newChild')}
              </Button>
            )}
            {can('category:export') && <ExportButton url="/api/categories/export" />}
          </Space>
        }
      />
      <Row gutter={12}>
        <Col xs={24} md={9} xl={7}>
          <div className="erp-panel" style={{ minHeight: 400 }}>
            <Input.Search
              placeholder={t('c.search')}
              allowClear
              onChange={(e) => setQ(e.target.value)}
              style={{ marginBottom: 8 }}
            />
            {cats.isLoading ? (
              <Spin />
            ) : (
              <Tree
                key={q}
                treeData={treeData}
                defaultExpandAll={!!q}
                defaultExpandedKeys={selected ? [selected.id] : undefined}
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => keys[0] !== undefined && setSp({ id: String(keys[0]) }, { replace: true })}
                blockNode
                height={620}
              />
            )}
          </div>
        </Col>
        <Col xs={24} md={15} xl={17}>
          {selected ? (
            <EditPanel
              key={selected.id}
              cat={selected}
              onSaved={() => void reload()}
              onDeleted={() => {
                setSp({}, { replace: true });
                void reload();
              }}
            />
          ) : (
            <div className="erp-panel">
              <Empty description={t('c.pick')} />
            </div>
          )}
        </Col>
      </Row>
      {creating && (
        <CreateModal
          parent={creating.parent}
          onClose={async (saved) => {
            setCreating(null);
            if (saved) {
              await reload();
              setSp({ id: String(saved.id) }, { replace: true });
            }
          }}
        />
      )}
    </div>
  );
}
