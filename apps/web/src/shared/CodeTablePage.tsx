import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Popconfirm, Space, Switch, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useState } from 'react';
import type { z } from 'zod';
import { api, errorText } from './api';
import { DataTable, type FilterDef } from './DataTable';
import { EnterSubmits, FormError } from './FormError';
import { useZodForm, type ZodForm } from './forms';
import { useT } from './i18n';
import { PageHeader } from './PageHeader';
import { useSession } from './session';

export interface CodeRowBase {
  id: number;
  code: string;
  name: string;
  nameEn?: string | null;
  active: boolean;
}

export interface CodeTableConfig<R extends CodeRowBase> {
  /** List/create path, e.g. '/api/brands'; edit and delete use `${path}/:id`, export `${path}/export`. */
  path: string;
  /** Grant function, e.g. 'brand'. */
  fn: string;
  title: string;
  createSchema: z.ZodType;
  updateSchema: z.ZodType;
  /** Columns after code/name/English name. */
  extraColumns?: ColumnsType<R>;
  /** Form items after code/name/English name. */
  extraFields?: (zf: ZodForm<z.ZodType>, mode: 'create' | 'edit') => ReactNode;
  /** Fields the create form sends that the update schema does not accept. */
  createOnly?: string[];
  filters?: FilterDef[];
  initialValues?: Record<string, unknown>;
}

function EditModal<R extends CodeRowBase>({
  cfg,
  row,
  onClose,
}: {
  cfg: CodeTableConfig<R>;
  row: R | null;
  onClose: (saved: boolean) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const mode = row ? 'edit' : 'create';
  const zf = useZodForm(mode === 'create' ? cfg.createSchema : cfg.updateSchema, form);
  return (
    <Modal
      open
      title={`${mode === 'create' ? t('common.create') : t('common.edit')} · ${cfg.title}`}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={zf.submitting}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        initialValues={row ? { ...row, nameEn: row.nameEn ?? '' } : (cfg.initialValues ?? {})}
        onFinish={(values: Record<string, unknown>) => {
          const body = { ...values };
          if (mode === 'edit') for (const k of ['code', ...(cfg.createOnly ?? [])]) delete body[k];
          return zf.submit(
            body,
            async (cmd) => {
              if (mode === 'create') await api.post(cfg.path, cmd);
              else await api.patch(`${cfg.path}/${row!.id}`, cmd);
              message.success(t('common.saved'));
              onClose(true);
            },
            mode === 'edit' ? { nullKeys: ['nameEn'] } : undefined,
          );
        }}
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        <Form.Item label={t('common.code')} {...zf.item('code')} required={mode === 'create'}>
          <Input maxLength={32} disabled={mode === 'edit'} autoFocus={mode === 'create'} data-testid="code-input" />
        </Form.Item>
        <Form.Item label={t('common.name')} {...zf.item('name')} required>
          <Input maxLength={100} autoFocus={mode === 'edit'} data-testid="name-input" />
        </Form.Item>
        <Form.Item label={t('common.nameEn')} {...zf.item('nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        {cfg.extraFields?.(zf as ZodForm<z.ZodType>, mode)}
        {mode === 'edit' && (
          <Form.Item label={t('common.status')} name="active" valuePropName="checked">
            <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** A small master table (brands, units, payment methods, reason codes): list, search, create, edit, delete, export. */
export function CodeTablePage<R extends CodeRowBase>({ cfg }: { cfg: CodeTableConfig<R> }) {
  const t = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<{ row: R | null } | null>(null);
  const key = `code:${cfg.path}`;
  const reload = async () => {
    await qc.invalidateQueries({ queryKey: ['list', key] });
    await qc.invalidateQueries({ queryKey: ['code-table', cfg.path] });
  };
  const remove = async (r: R) => {
    try {
      await api.delete(`${cfg.path}/${r.id}`);
      message.success(t('common.done'));
      await reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const columns: ColumnsType<R> = [
    { title: t('common.code'), dataIndex: 'code', key: 'code', width: 120, sorter: true },
    { title: t('common.name'), dataIndex: 'name', key: 'name', sorter: true },
    { title: t('common.nameEn'), dataIndex: 'nameEn' },
    ...(cfg.extraColumns ?? []),
    {
      title: t('common.status'),
      dataIndex: 'active',
      width: 80,
      render: (v: boolean) => (v ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_: unknown, r) => (
        <Space size={0}>
          {can(`${cfg.fn}:edit`) && (
            <Button type="link" size="small" onClick={() => setEditing({ row: r })}>
              {t('common.edit')}
            </Button>
          )}
          {can(`${cfg.fn}:delete`) && (
            <Popconfirm
              title={t('common.confirmTitle')}
              description={`${t('common.delete')} ${r.code} ${r.name}?`}
              onConfirm={() => remove(r)}
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
        title={cfg.title}
        extra={
          can(`${cfg.fn}:create`) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ row: null })}>
              {t('common.create')}
            </Button>
          )
        }
      />
      <div className="erp-panel">
        <DataTable<R>
          queryKey={key}
          url={cfg.path}
          rowKey="id"
          columns={columns}
          filters={[{ name: 'q', label: t('common.keyword'), placeholder: t('common.keywordHint') }, ...(cfg.filters ?? [])]}
          exportUrl={`${cfg.path}/export`}
          exportGrant={`${cfg.fn}:export`}
          onRow={(r) => ({ onDoubleClick: () => can(`${cfg.fn}:edit`) && setEditing({ row: r }) })}
        />
      </div>
      {editing && (
        <EditModal
          cfg={cfg}
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
