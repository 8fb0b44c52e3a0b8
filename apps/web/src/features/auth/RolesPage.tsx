import { PlusOutlined } from '@ant-design/icons';
import { type Action, type Bilingual, createRoleBody, updateRoleBody } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Drawer, Form, Input, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import type { z } from 'zod';
import { api } from '../../shared/api';
import { EnterSubmits, FormError } from '../../shared/FormError';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { type RoleDto, useRoles } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { m } from './messages';

interface FunctionInfo {
  code: string;
  name: string;
  nameEn: string;
  module: string;
  actions: Action[];
}
interface PermissionCatalog {
  functions: FunctionInfo[];
  actions: Record<Action, Bilingual>;
}

export function usePermissionCatalog() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => api.get<PermissionCatalog>('/api/permissions'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

const gk = (fn: string, action: string) => `${fn}:${action}`;

/** Function × action checkboxes. Grants the editor does not hold are disabled (the server refuses them anyway). */
export function GrantsMatrix({
  value,
  onChange,
  readOnly,
}: {
  value: Set<string>;
  onChange?: (next: Set<string>) => void;
  readOnly?: boolean;
}) {
  const t = useT(m);
  const label = useLabel();
  const { can } = useSession();
  const catalog = usePermissionCatalog();
  const [filter, setFilter] = useState('');
  const [onlyGranted, setOnlyGranted] = useState(false);
  // Functions grouped by module (in the order modules first appear), so each module is one block of rows.
  const fns = useMemo(() => {
    const list = catalog.data?.functions ?? [];
    const order = [...new Set(list.map((f) => f.module))];
    return [...list].sort((a, b) => order.indexOf(a.module) - order.indexOf(b.module));
  }, [catalog.data]);
  const usedActions = useMemo(() => {
    const order = Object.keys(catalog.data?.actions ?? {}) as Action[];
    return order.filter((a) => fns.some((f) => f.actions.includes(a)));
  }, [catalog.data, fns]);
  const rows = fns.filter((f) => {
    const text = `${f.code} ${f.name} ${f.nameEn}`.toLowerCase();
    if (filter && !text.includes(filter.toLowerCase())) return false;
    if (onlyGranted && !f.actions.some((a) => value.has(gk(f.code, a)))) return false;
    return true;
  });
  const set = (keys: string[], on: boolean) => {
    if (!onChange) return;
    const next = new Set(value);
    for (const k of keys) {
      if (on && can(k)) next.add(k);
      else if (!on) next.delete(k);
    }
    onChange(next);
  };
  const moduleLabel = (mod: string) => {
    const k = `module.${mod}` as Parameters<typeof t>[0];
    const s = t(k);
    return s === k ? mod : s;
  };

  const columns: ColumnsType<FunctionInfo> = [
    {
      title: t('role.module'),
      dataIndex: 'module',
      width: 110,
      className: 'erp-fn',
      onCell: (r, i) => {
        const idx = i ?? 0;
        if (idx > 0 && rows[idx - 1]?.module === r.module) return { rowSpan: 0 };
        let span = 1;
        while (rows[idx + span]?.module === r.module) span++;
        return { rowSpan: span };
      },
      render: (mod: string) => moduleLabel(mod),
    },
    {
      title: t('role.function'),
      key: 'fn',
      width: 200,
      className: 'erp-fn',
      fixed: 'left',
      render: (_: unknown, f) => {
        const keys = f.actions.map((a) => gk(f.code, a));
        const on = keys.filter((k) => value.has(k)).length;
        return (
          <Checkbox
            disabled={readOnly}
            checked={on === keys.length}
            indeterminate={on > 0 && on < keys.length}
            onChange={(e) => set(keys, e.target.checked)}
          >
            {label({ name: f.name, nameEn: f.nameEn })}
          </Checkbox>
        );
      },
    },
    ...usedActions.map((a) => {
      const colKeys = rows.filter((f) => f.actions.includes(a)).map((f) => gk(f.code, a));
      const on = colKeys.filter((k) => value.has(k)).length;
      return {
        title: (
          <Checkbox
            disabled={readOnly || colKeys.length === 0}
            checked={colKeys.length > 0 && on === colKeys.length}
            indeterminate={on > 0 && on < colKeys.length}
            onChange={(e) => set(colKeys, e.target.checked)}
          >
            {catalog.data ? label(catalog.data.actions[a]) : a}
          </Checkbox>
        ),
        key: a,
        width: 76,
        render: (_: unknown, f: FunctionInfo) =>
          f.actions.includes(a) ? (
            <Checkbox
              aria-label={gk(f.code, a)}
              data-grant={gk(f.code, a)}
              checked={value.has(gk(f.code, a))}
              disabled={readOnly || (!value.has(gk(f.code, a)) && !can(gk(f.code, a)))}
              onChange={(e) => set([gk(f.code, a)], e.target.checked)}
            />
          ) : null,
      };
    }),
  ];

  return (
    <div>
      <Space style={{ marginBottom: 8 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('role.filter')}
          onChange={(e) => setFilter(e.target.value)}
          style={{ width: 220 }}
        />
        <Switch size="small" checked={onlyGranted} onChange={setOnlyGranted} />
        <span>{t('role.onlyGranted')}</span>
        <Typography.Text type="secondary">{t('role.selected', { count: value.size })}</Typography.Text>
      </Space>
      <Table<FunctionInfo>
        className="erp-grants-matrix"
        size="small"
        bordered
        rowKey="code"
        loading={catalog.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content', y: 'calc(100vh - 340px)' }}
        data-testid="grants-matrix"
      />
    </div>
  );
}

function RoleDrawer({ role, onClose }: { role: RoleDto | null; onClose: (saved: boolean) => void }) {
  const t = useT(m);
  const { message } = App.useApp();
  const { can } = useSession();
  const [form] = Form.useForm();
  const editing = role !== null;
  const zf = useZodForm((editing ? updateRoleBody : createRoleBody) as z.ZodType, form);
  const [grants, setGrants] = useState<Set<string>>(() => new Set((role?.grants ?? []).map((g) => gk(g.function, g.action))));
  const readOnly = editing ? !can('role:edit') : !can('role:create');
  const toList = () =>
    [...grants].map((k) => {
      const i = k.lastIndexOf(':');
      return { function: k.slice(0, i), action: k.slice(i + 1) };
    });
  return (
    <Drawer
      open
      title={editing ? `${readOnly ? t('role.view') : t('role.edit')} · ${role.code}` : t('role.new')}
      size={1100}
      onClose={() => onClose(false)}
      destroyOnHidden
      footer={
        !readOnly && (
          <Space style={{ float: 'right' }}>
            <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={zf.submitting} onClick={() => form.submit()} data-testid="role-save">
              {t('common.save')}
            </Button>
          </Space>
        )
      }
    >
      {editing && role.builtin && !readOnly && (
        <Alert type="warning" showIcon title={t('role.builtinHint')} style={{ marginBottom: 12 }} />
      )}
      <Form
        form={form}
        layout="inline"
        disabled={readOnly}
        initialValues={editing ? { name: role.name, nameEn: role.nameEn ?? '' } : {}}
        onFinish={(values) =>
          zf.submit(
            { ...values, grants: toList() },
            async (cmd) => {
              if (editing) await api.patch(`/api/roles/${role.id}`, cmd);
              else await api.post('/api/roles', cmd);
              message.success(t('common.saved'));
              onClose(true);
            },
            { emptyAs: editing ? 'null' : 'undefined' },
          )
        }
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <div style={{ width: '100%' }}>
          <FormError error={zf.error} />
          <EnterSubmits />
        </div>
        {!editing && (
          <Form.Item label={t('role.code')} {...zf.item('code')}>
            <Input style={{ width: 160 }} maxLength={50} autoFocus placeholder="store_clerk" />
          </Form.Item>
        )}
        <Form.Item label={t('role.name')} {...zf.item('name')} required>
          <Input style={{ width: 180 }} maxLength={50} />
        </Form.Item>
        <Form.Item label={t('role.nameEn')} {...zf.item('nameEn')}>
          <Input style={{ width: 180 }} maxLength={50} />
        </Form.Item>
        {!editing && (
          <Form.Item label={t('role.scope')} {...zf.item('orgId')}>
            <OrgSelect style={{ width: 220 }} placeholder={t('role.global')} />
          </Form.Item>
        )}
      </Form>
      <Typography.Title level={5}>{t('role.matrix')}</Typography.Title>
      <GrantsMatrix value={grants} onChange={setGrants} readOnly={readOnly} />
    </Drawer>
  );
}

export default function RolesPage() {
  const t = useT(m);
  const label = useLabel();
  const orgLabel = useOrgLabel();
  const qc = useQueryClient();
  const { can } = useSession();
  const roles = useRoles();
  const [open, setOpen] = useState<{ role: RoleDto | null } | null>(null);
  return (
    <div>
      <PageHeader
        title={t('page.roles')}
        extra={
          can('role:create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen({ role: null })}>
              {t('role.new')}
            </Button>
          )
        }
      />
      <div className="erp-panel">
        <Table<RoleDto>
          size="small"
          bordered
          rowKey="id"
          loading={roles.isLoading}
          dataSource={roles.data ?? []}
          pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true }}
          onRow={(r) => ({ onDoubleClick: () => setOpen({ role: r }) })}
          columns={[
            { title: t('role.code'), dataIndex: 'code', width: 160, sorter: (a, b) => a.code.localeCompare(b.code) },
            {
              title: t('role.name'),
              key: 'name',
              render: (_: unknown, r) => (
                <Space>
                  {label(r)}
                  {r.builtin && <Tag>{t('common.builtin')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('role.scope'),
              dataIndex: 'orgId',
              render: (v: number | null) => (v === null ? t('role.global') : orgLabel(v)),
            },
            {
              title: t('role.grants'),
              key: 'grants',
              width: 90,
              align: 'right',
              sorter: (a, b) => a.grants.length - b.grants.length,
              render: (_: unknown, r) => r.grants.length,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 100,
              render: (_: unknown, r) => (
                <Button type="link" size="small" onClick={() => setOpen({ role: r })}>
                  {can('role:edit') ? t('common.edit') : t('common.view')}
                </Button>
              ),
            },
          ]}
        />
      </div>
      {open && (
        <RoleDrawer
          role={open.role}
          onClose={(saved) => {
            setOpen(null);
            if (saved) void qc.invalidateQueries({ queryKey: ['roles'] });
          }}
        />
      )}
    </div>
  );
}
