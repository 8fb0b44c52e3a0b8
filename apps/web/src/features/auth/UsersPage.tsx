import { DeleteOutlined, DownOutlined, PlusOutlined } from '@ant-design/icons';
import { createUserBody, resetPasswordBody, updateUserBody } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Dropdown, Form, Input, Modal, Select, Space, Spin, Switch, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, errorText } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { EnterSubmits, FormError } from '../../shared/FormError';
import { fmtDateTime } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useLabel, useLocale, useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useRoles } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { m } from './messages';

interface UserRow {
  id: number;
  login: string;
  name: string;
  orgId: number;
  orgName: string;
  active: boolean;
  locale: string;
  lockedUntil: string | null;
}

interface UserDetail extends Omit<UserRow, 'orgName'> {
  roles: { roleId: number; roleCode: string; roleName: string; orgId: number }[];
}

const LOCALES = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

function RoleAssignments({ defaultOrgId, disabled }: { defaultOrgId?: number | undefined; disabled?: boolean }) {
  const t = useT(m);
  const label = useLabel();
  const { can } = useSession();
  const roles = useRoles(can('role:view'));
  const form = Form.useFormInstance();
  return (
    <Form.List name="roles">
      {(fields, { add, remove }) => (
        <>
          {fields.map((f, i) => (
            <Space key={f.key} align="start" style={{ display: 'flex' }}>
              <Form.Item name={[f.name, 'roleId']} rules={[{ required: true, message: t('common.required') }]}>
                <Select
                  disabled={disabled}
                  placeholder={t('user.roles')}
                  style={{ width: 180 }}
                  loading={roles.isLoading}
                  options={(roles.data ?? []).map((r) => ({ value: r.id, label: label(r) }))}
                  showSearch={{ optionFilterProp: 'label' }}
                  data-testid={`role-select-${i}`}
                />
              </Form.Item>
              <Form.Item name={[f.name, 'orgId']} rules={[{ required: true, message: t('common.required') }]}>
                <OrgSelect
                  disabled={disabled}
                  placeholder={t('user.roleOrg')}
                  style={{ width: 220 }}
                  allowClear={false}
                  data-testid={`role-org-${i}`}
                />
              </Form.Item>
              {!disabled && <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />}
            </Space>
          ))}
          {!disabled && (
            <Button
              icon={<PlusOutlined />}
              data-testid="role-add"
              onClick={() => add({ orgId: (form.getFieldValue('orgId') as number | undefined) ?? defaultOrgId })}
            >
              {t('user.addRole')}
            </Button>
          )}
        </>
      )}
    </Form.List>
  );
}

function CreateUserDrawer({ onClose }: { onClose: (saved: boolean) => void }) {
  const t = useT(m);
  const { message } = App.useApp();
  const { currentOrgId, me } = useSession();
  const { locale } = useLocale();
  const [form] = Form.useForm();
  const zf = useZodForm(createUserBody, form);
  return (
    <Drawer
      open
      title={t('user.new')}
      size={560}
      onClose={() => onClose(false)}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={() => onClose(false)} data-testid="user-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="primary" loading={zf.submitting} onClick={() => form.submit()} data-testid="user-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ orgId: currentOrgId ?? me?.orgId, locale, roles: [] }}
        onFinish={(values) =>
          zf.submit(values, async (cmd) => {
            await api.post('/api/users', cmd);
            message.success(t('common.created'));
            onClose(true);
          })
        }
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        <Form.Item label={t('user.org')} {...zf.item('orgId')}>
          <OrgSelect data-testid="user-org" />
        </Form.Item>
        <Space.Compact block>
          <Form.Item label={t('user.login')} {...zf.item('login')} style={{ width: '50%' }}>
            <Input autoFocus autoComplete="off" maxLength={50} data-testid="user-login" />
          </Form.Item>
          <Form.Item label={t('user.name')} {...zf.item('name')} style={{ width: '50%', paddingLeft: 8 }}>
            <Input maxLength={50} data-testid="user-name" />
          </Form.Item>
        </Space.Compact>
        <Form.Item label={t('user.password')} {...zf.item('password')} extra={t('password.policy')}>
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        <Form.Item label={t('user.locale')} {...zf.item('locale')}>
          <Select options={LOCALES} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={t('user.roles')} extra={t('user.rolesHint')}>
          <RoleAssignments />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function EditUserDrawer({ id, onClose }: { id: number; onClose: (saved: boolean) => void }) {
  const t = useT(m);
  const { message } = App.useApp();
  const { can } = useSession();
  const [form] = Form.useForm();
  const zf = useZodForm(updateUserBody, form);
  const q = useQuery({ queryKey: ['users', id], queryFn: () => api.get<UserDetail>(`/api/users/${id}`) });
  const canManage = can('user:manage');
  return (
    <Drawer
      open
      title={q.data ? `${t('user.edit')} · ${q.data.login}` : t('user.edit')}
      size={560}
      onClose={() => onClose(false)}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
          <Button type="primary" loading={zf.submitting} onClick={() => form.submit()} disabled={!q.data}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {!q.data ? (
        <Spin />
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            name: q.data.name,
            locale: q.data.locale,
            active: q.data.active,
            roles: q.data.roles.map((r) => ({ roleId: r.roleId, orgId: r.orgId })),
          }}
          onFinish={(values) =>
            zf.submit(canManage ? values : { ...values, roles: undefined }, async (cmd) => {
              await api.patch(`/api/users/${id}`, cmd);
              message.success(t('common.saved'));
              onClose(true);
            })
          }
        >
          <FormError error={zf.error} />
          <EnterSubmits />
          <Form.Item label={t('user.login')}>
            <Input value={q.data.login} disabled />
          </Form.Item>
          <Form.Item label={t('user.name')} {...zf.item('name')} required>
            <Input maxLength={50} autoFocus />
          </Form.Item>
          <Form.Item label={t('user.locale')} {...zf.item('locale')}>
            <Select options={LOCALES} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label={t('common.status')} name="active" valuePropName="checked">
            <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
          </Form.Item>
          <Form.Item label={t('user.roles')} extra={t('user.rolesHint')}>
            <RoleAssignments defaultOrgId={q.data.orgId} disabled={!canManage} />
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}

function ResetPasswordModal({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const t = useT(m);
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const zf = useZodForm(resetPasswordBody, form);
  return (
    <Modal
      open
      title={t('user.resetPasswordFor', { name: `${user.name} (${user.login})` })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={zf.submitting}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          zf.submit(values, async (cmd) => {
            await api.post(`/api/users/${user.id}/reset-password`, cmd);
            message.success(t('user.resetDone'));
            onClose();
          })
        }
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        <Form.Item label={t('password.new')} {...zf.item('newPassword')} extra={t('password.policy')}>
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const t = useT(m);
  const { can, currentOrgId, me } = useSession();
  const orgLabel = useOrgLabel();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const reload = () => qc.invalidateQueries({ queryKey: ['list', 'users'] });

  const setActive = (u: UserRow, active: boolean) => {
    const run = async () => {
      try {
        await api.patch(`/api/users/${u.id}`, { active });
        message.success(active ? t('user.enabled') : t('user.disabled'));
        await reload();
      } catch (e) {
        message.error(errorText(e));
      }
    };
    if (active) return run();
    modal.confirm({ title: t('common.confirmTitle'), content: t('user.disableConfirm', { name: u.name }), onOk: run });
  };

  const logoutAll = (u: UserRow) =>
    modal.confirm({
      title: t('common.confirmTitle'),
      content: t('user.logoutAllConfirm', { name: u.name }),
      onOk: async () => {
        try {
          const res = await api.post<{ sessions: number }>(`/api/users/${u.id}/logout-all`);
          message.success(t('user.logoutDone', { count: res.sessions }));
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const columns: ColumnsType<UserRow> = [
    { title: t('user.login'), dataIndex: 'login', width: 140 },
    { title: t('user.name'), dataIndex: 'name', width: 140 },
    { title: t('user.org'), dataIndex: 'orgId', render: (v: number, u) => orgLabel(v, u.orgName) },
    {
      title: t('user.locale'),
      dataIndex: 'locale',
      width: 90,
      render: (v: string) => LOCALES.find((l) => l.value === v)?.label ?? v,
    },
    {
      title: t('common.status'),
      key: 'status',
      width: 170,
      render: (_: unknown, u) => (
        <Space size={4}>
          {u.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag color="red">{t('common.inactive')}</Tag>}
          {u.lockedUntil && dayjs(u.lockedUntil).isAfter(dayjs()) && (
            <Tag color="orange">{t('user.lockedUntil', { until: fmtDateTime(u.lockedUntil) })}</Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 160,
      fixed: 'right',
      render: (_: unknown, u) => {
        const more = [
          can('user:manage') && { key: 'reset', label: t('user.resetPassword'), onClick: () => setResetting(u) },
          can('user:manage') && { key: 'logout', label: t('user.logoutAll'), onClick: () => logoutAll(u) },
          can('user:edit') &&
            u.id !== me?.userId && {
              key: 'active',
              danger: u.active,
              label: u.active ? t('user.disable') : t('user.enable'),
              onClick: () => setActive(u, !u.active),
            },
        ].filter(Boolean) as { key: string; label: string; onClick: () => void }[];
        return (
          <Space size={0}>
            {can('user:edit') && (
              <Button type="link" size="small" onClick={() => setEditing(u.id)}>
                {t('common.edit')}
              </Button>
            )}
            {more.length > 0 && (
              <Dropdown menu={{ items: more }} trigger={['click']}>
                <Button type="link" size="small">
                  {t('common.more')} <DownOutlined />
                </Button>
              </Dropdown>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <div>
      <PageHeader
        title={t('page.users')}
        extra={
          can('user:create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-new">
              {t('user.new')}
            </Button>
          )
        }
      />
      <div className="erp-panel">
        <DataTable<UserRow>
          queryKey="users"
          url="/api/users"
          rowKey="id"
          params={{ orgId: currentOrgId ?? undefined }}
          columns={columns}
          filters={[{ name: 'q', label: t('common.keyword'), placeholder: t('user.search') }]}
        />
      </div>
      {creating && (
        <CreateUserDrawer
          onClose={(saved) => {
            setCreating(false);
            if (saved) void reload();
          }}
        />
      )}
      {editing !== null && (
        <EditUserDrawer
          id={editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) {
              void reload();
              void qc.invalidateQueries({ queryKey: ['users', editing] });
            }
          }}
        />
      )}
      {resetting && <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />}
    </div>
  );
}
