import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  allowedParents,
  BUSINESS_MODES,
  type OpenStoreCheck,
  type OpenStoreCheckCommand,
  type OrgKind,
  openStoreBody,
  STORE_MODES,
} from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Select,
  Space,
  Steps,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, errorText } from '../../shared/api';
import { FormError } from '../../shared/FormError';
import { applyFieldIssues, cleanValues, useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useRoles } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { CategorySelect } from '../catalog/pickers';
import { type OrgDto, orgKeys } from './api';
import { m } from './messages';

interface OpenStoreResult {
  store: OrgDto;
  warehouses: unknown[];
  distributionRelations: unknown[];
  users: unknown[];
}

const storeParentKinds = allowedParents.store.filter((k): k is OrgKind => k !== null);

/** Which step each top-level field lives on, so a server error can take the user back to it. */
const stepOf: Record<string, number> = {
  parentId: 0,
  code: 0,
  name: 0,
  nameEn: 0,
  storeMode: 0,
  region: 0,
  address: 0,
  phone: 0,
  warehouses: 1,
  supplyingDcs: 2,
  params: 3,
  catalog: 3,
  users: 4,
};

/**
 * What the server checks after each step (the same rules the final submit applies): the part of the command
 * that step decides, plus what its rules need (the store code names the default warehouse).
 */
const stepCheck: Partial<Record<number, (v: Record<string, unknown>) => OpenStoreCheckCommand>> = {
  0: (v) => ({ parentId: v.parentId as number, code: v.code as string }),
  1: (v) => ({ code: v.code as string, warehouses: (v.warehouses as OpenStoreCheckCommand['warehouses']) ?? [] }),
  2: (v) => ({ supplyingDcs: (v.supplyingDcs as OpenStoreCheckCommand['supplyingDcs']) ?? [] }),
  4: (v) => ({ users: (v.users as OpenStoreCheckCommand['users']) ?? [] }),
};

const stepFields: (string | (string | number)[])[][] = [
  ['parentId', 'code', 'name', 'nameEn', 'storeMode', 'region', 'address', 'phone'],
  [],
  [],
  [],
  [],
];

export default function OpenStorePage() {
  const t = useT(m);
  const label = useLabel();
  const orgLabel = useOrgLabel();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [sp] = useSearchParams();
  const { orgs, refresh, can } = useSession();
  const roles = useRoles(can('role:view'));
  const [form] = Form.useForm();
  const zf = useZodForm(openStoreBody, form);
  const [step, setStep] = useState(0);
  const [checking, setChecking] = useState(false);
  const [done, setDone] = useState<OpenStoreResult | null>(null);
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined;
  const catalogMode = values?.catalogMode as 'all' | 'copy' | 'categories' | undefined;
  const dcs = useMemo(() => orgs.filter((o) => o.kind === 'dc' && o.active), [orgs]);
  const parentFromUrl = Number(sp.get('parentId') ?? '') || undefined;
  const defaultParent =
    parentFromUrl ?? orgs.find((o) => o.kind === 'retail_centre')?.id ?? orgs.find((o) => o.kind === 'hq')?.id ?? undefined;

  const steps = [
    t('open.stepStore'),
    t('open.stepWarehouses'),
    t('open.stepDcs'),
    t('open.stepParams'),
    t('open.stepUsers'),
    t('open.stepConfirm'),
  ];

  const listFieldNames = (list: string, keys: string[]) => {
    const rows = (form.getFieldValue(list) as unknown[] | undefined) ?? [];
    return rows.flatMap((_, i) => keys.map((k) => [list, i, k]));
  };

  const next = async () => {
    const names =
      step === 1
        ? listFieldNames('warehouses', ['code', 'name'])
        : step === 2
          ? listFieldNames('supplyingDcs', ['dcId', 'priority', 'level'])
          : step === 4
            ? listFieldNames('users', ['login', 'name', 'password', 'roleCodes'])
            : (stepFields[step] ?? []);
    try {
      await form.validateFields(names);
    } catch {
      return; // errors are shown on the fields
    }
    if (await serverAccepts(step)) setStep(step + 1);
  };

  /** Asks the server about this step; its issues land on the fields (an earlier step's take the user back). */
  const serverAccepts = async (at: number): Promise<boolean> => {
    const part = stepCheck[at]?.(form.getFieldsValue(true));
    zf.setError(null);
    if (!part) return true;
    setChecking(true);
    try {
      const { issues } = await api.post<OpenStoreCheck>('/api/stores/open/validate', cleanValues(part));
      if (!issues.length) return true;
      const rest = applyFieldIssues(form, issues);
      if (rest.length) zf.setError(rest.map((i) => i.message).join('；'));
      const back = stepOf[issues[0]?.path.split('.')[0] ?? ''];
      if (back !== undefined && back < at) setStep(back);
      return false;
    } catch (e) {
      zf.setError(errorText(e));
      return false;
    } finally {
      setChecking(false);
    }
  };

  const submit = async () => {
    const { catalogMode, copyFromStoreId, categoryIds, ...all } = form.getFieldsValue(true);
    const catalog =
      catalogMode === 'copy'
        ? { copyFromStoreId }
        : catalogMode === 'categories'
          ? { categoryIds: categoryIds ?? [] }
          : undefined;
    const ok = await zf.submit({ ...all, catalog }, async (cmd) => {
      const res = await api.post<OpenStoreResult>('/api/stores/open', cmd);
      await qc.invalidateQueries({ queryKey: orgKeys.all });
      await qc.invalidateQueries({ queryKey: ['warehouses'] });
      await refresh();
      setDone(res);
    });
    if (!ok) {
      const firstBad = form.getFieldsError().find((f) => f.errors.length);
      const top = firstBad ? String(firstBad.name[0]) : undefined;
      if (top && stepOf[top] !== undefined) setStep(stepOf[top]!);
    }
  };

  if (done) {
    return (
      <div className="erp-panel">
        <Result
          status="success"
          title={t('open.done', { name: `${done.store.code} ${label(done.store)}` })}
          subTitle={t('open.doneDetail', {
            warehouses: done.warehouses.length,
            dcs: done.distributionRelations.length,
            users: done.users.length,
          })}
          extra={[
            <Button type="primary" key="orgs" onClick={() => navigate(`/org/orgs?id=${done.store.id}`)}>
              {t('open.toOrgs')}
            </Button>,
            <Button
              key="again"
              onClick={() => {
                form.resetFields();
                setStep(0);
                setDone(null);
              }}
            >
              {t('open.another')}
            </Button>,
          ]}
        />
      </div>
    );
  }

  const roleOptions = (roles.data ?? []).map((r) => ({ value: r.code, label: label(r) }));
  const v = values ?? {};
  const whRows = (v.warehouses as { code?: string; name?: string }[] | undefined) ?? [];
  const dcRows = (v.supplyingDcs as { dcId?: number; priority?: number; level?: number }[] | undefined) ?? [];
  const userRows = (v.users as { login?: string; name?: string; roleCodes?: string[] }[] | undefined) ?? [];
  const params = (v.params as Record<string, unknown> | undefined) ?? {};

  return (
    <div>
      <PageHeader title={t('page.openStore')} />
      <div className="erp-panel">
        <Steps current={step} items={steps.map((title) => ({ title }))} size="small" style={{ marginBottom: 24 }} />
        <FormError error={zf.error} onClose={() => zf.setError(null)} />
        <Form
          form={form}
          layout="horizontal"
          labelCol={{ flex: '120px' }}
          wrapperCol={{ flex: 'auto' }}
          style={{ maxWidth: 860 }}
          initialValues={{
            parentId: defaultParent,
            storeMode: 'direct',
            warehouses: [],
            supplyingDcs: dcs[0] ? [{ dcId: dcs[0].id, priority: 100, level: 1 }] : [],
            params: {
              businessMode: 'supermarket',
              allowNegativeStock: false,
              receivingUpdatesDefaultShelf: true,
              handoverShowsExpectedCash: true,
            },
            users: [],
            catalogMode: 'all',
          }}
          onFinish={() => (step === steps.length - 1 ? submit() : next())}
          onFinishFailed={({ errorFields }) => {
            const top = errorFields[0] ? String(errorFields[0].name[0]) : undefined;
            if (top && stepOf[top] !== undefined) setStep(stepOf[top]!);
          }}
        >
          <div hidden={step !== 0}>
            <Form.Item label={t('org.parent')} {...zf.item('parentId')} extra={t('open.parentHint')}>
              <OrgSelect kinds={storeParentKinds} />
            </Form.Item>
            <Form.Item label={t('common.code')} {...zf.item('code')}>
              <Input maxLength={32} style={{ width: 200 }} data-testid="open-code" />
            </Form.Item>
            <Form.Item label={t('common.name')} {...zf.item('name')}>
              <Input maxLength={100} data-testid="open-name" />
            </Form.Item>
            <Form.Item label={t('common.nameEn')} {...zf.item('nameEn')}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item label={t('org.storeMode')} {...zf.item('storeMode')}>
              <Radio.Group optionType="button" options={STORE_MODES.map((s) => ({ value: s, label: t(`storeMode.${s}`) }))} />
            </Form.Item>
            <Form.Item label={t('org.region')} {...zf.item('region')}>
              <Input maxLength={50} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item label={t('org.address')} {...zf.item('address')}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item label={t('org.phone')} {...zf.item('phone')}>
              <Input maxLength={50} style={{ width: 200 }} />
            </Form.Item>
          </div>

          <div hidden={step !== 1}>
            <Alert type="info" showIcon title={t('open.warehousesHint')} style={{ marginBottom: 12 }} />
            <Form.List name="warehouses">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="start" style={{ display: 'flex' }}>
                      <Form.Item name={[f.name, 'code']} rules={zf.rules(['warehouses', i, 'code'])} required>
                        <Input placeholder={t('common.code')} style={{ width: 160 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'name']} rules={zf.rules(['warehouses', i, 'name'])} required>
                        <Input placeholder={t('common.name')} style={{ width: 260 }} />
                      </Form.Item>
                      {i === 0 && <Tag color="blue">{t('common.default')}</Tag>}
                      <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                    </Space>
                  ))}
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() => {
                      const code = (form.getFieldValue('code') as string | undefined) ?? '';
                      add({ code: code ? `${code}-W${fields.length + 1}` : '', name: '' });
                    }}
                  >
                    {t('open.addWarehouse')}
                  </Button>
                </>
              )}
            </Form.List>
          </div>

          <div hidden={step !== 2}>
            <Alert type="info" showIcon title={t('open.dcsHint')} style={{ marginBottom: 12 }} />
            <Form.List name="supplyingDcs">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="start" style={{ display: 'flex' }}>
                      <Form.Item name={[f.name, 'dcId']} rules={zf.rules(['supplyingDcs', i, 'dcId'])} required>
                        <Select
                          placeholder={t('open.dc')}
                          style={{ width: 260 }}
                          options={dcs.map((d) => ({ value: d.id, label: `${d.code} ${label(d)}` }))}
                        />
                      </Form.Item>
                      <Form.Item
                        label={t('open.priority')}
                        name={[f.name, 'priority']}
                        rules={zf.rules(['supplyingDcs', i, 'priority'])}
                      >
                        <InputNumber min={0} precision={0} style={{ width: 90 }} />
                      </Form.Item>
                      <Form.Item label={t('open.level')} name={[f.name, 'level']} rules={zf.rules(['supplyingDcs', i, 'level'])}>
                        <InputNumber min={1} max={9} precision={0} style={{ width: 70 }} />
                      </Form.Item>
                      <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                    </Space>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ priority: 100, level: 1 })} disabled={!dcs.length}>
                    {t('open.addDc')}
                  </Button>
                </>
              )}
            </Form.List>
          </div>

          <div hidden={step !== 3}>
            <Form.Item label={t('params.businessMode')} name={['params', 'businessMode']}>
              <Radio.Group>
                <Space orientation="vertical">
                  {BUSINESS_MODES.map((b) => (
                    <Radio key={b} value={b}>
                      {t(`params.businessMode.${b}`)}
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            </Form.Item>
            <Form.Item
              label={t('params.allowNegativeStock')}
              name={['params', 'allowNegativeStock']}
              valuePropName="checked"
              extra={t('params.allowNegativeStockHint')}
            >
              <Switch />
            </Form.Item>
            <Form.Item
              label={t('params.receivingUpdatesDefaultShelf')}
              name={['params', 'receivingUpdatesDefaultShelf']}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
            <Form.Item
              label={t('params.handoverShowsExpectedCash')}
              name={['params', 'handoverShowsExpectedCash']}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
            <Form.Item label={t('open.catalog')} name="catalogMode" extra={t('open.catalogHint')}>
              <Radio.Group
                options={[
                  { value: 'all', label: t('open.catalogAll') },
                  { value: 'copy', label: t('open.catalogCopy') },
                  ...(can('category:view') ? [{ value: 'categories', label: t('open.catalogCategories') }] : []),
                ]}
              />
            </Form.Item>
            {catalogMode === 'copy' && (
              <Form.Item
                label={t('open.catalogFrom')}
                name="copyFromStoreId"
                rules={zf.rules(['catalog', 'copyFromStoreId'])}
                required
              >
                <OrgSelect kinds={['store']} style={{ width: 260 }} />
              </Form.Item>
            )}
            {catalogMode === 'categories' && (
              <Form.Item label={t('open.catalogCategories')} name="categoryIds">
                <CategorySelect multiple treeCheckable style={{ width: 420 }} />
              </Form.Item>
            )}
          </div>

          <div hidden={step !== 4}>
            <Alert type="info" showIcon title={t('open.usersHint')} style={{ marginBottom: 12 }} />
            <Form.List name="users">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="start" style={{ display: 'flex' }} wrap>
                      <Form.Item name={[f.name, 'login']} rules={zf.rules(['users', i, 'login'])} required>
                        <Input placeholder={t('open.login')} style={{ width: 140 }} autoComplete="off" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'name']} rules={zf.rules(['users', i, 'name'])} required>
                        <Input placeholder={t('open.userName')} style={{ width: 140 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'password']} rules={zf.rules(['users', i, 'password'])} required>
                        <Input.Password placeholder={t('open.password')} style={{ width: 170 }} autoComplete="new-password" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'roleCodes']} rules={zf.rules(['users', i, 'roleCodes'])} required>
                        <Select mode="multiple" placeholder={t('open.roles')} style={{ width: 240 }} options={roleOptions} />
                      </Form.Item>
                      <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                    </Space>
                  ))}
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() => add({ roleCodes: fields.length === 0 ? ['store_admin'] : ['cashier'] })}
                  >
                    {t('open.addUser')}
                  </Button>
                </>
              )}
            </Form.List>
          </div>

          {step === 5 && (
            <div data-testid="open-summary">
              <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }}>
                <Descriptions.Item label={t('org.parent')}>{orgLabel(v.parentId as number)}</Descriptions.Item>
                <Descriptions.Item label={t('org.storeMode')}>
                  {t(`storeMode.${(v.storeMode as 'direct') ?? 'direct'}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('common.code')}>{v.code as string}</Descriptions.Item>
                <Descriptions.Item label={t('common.name')}>{v.name as string}</Descriptions.Item>
                <Descriptions.Item label={t('org.region')}>{v.region as string}</Descriptions.Item>
                <Descriptions.Item label={t('org.address')}>{v.address as string}</Descriptions.Item>
                <Descriptions.Item label={t('open.stepWarehouses')} span={2}>
                  {whRows.length
                    ? whRows.map((w) => `${w.code} ${w.name}`).join('，')
                    : t('open.defaultWarehouse', { name: (v.name as string) ?? '' })}
                </Descriptions.Item>
                <Descriptions.Item label={t('open.stepDcs')} span={2}>
                  {dcRows.length
                    ? dcRows
                        .map((d) => `${orgLabel(d.dcId)} (${t('open.priority')} ${d.priority}, ${t('open.level')} ${d.level})`)
                        .join('；')
                    : t('open.none')}
                </Descriptions.Item>
                <Descriptions.Item label={t('params.businessMode')} span={2}>
                  {t(`params.businessMode.${(params.businessMode as 'supermarket') ?? 'supermarket'}`)}
                  {' · '}
                  {t('params.allowNegativeStock')}：{params.allowNegativeStock ? t('common.yes') : t('common.no')}
                </Descriptions.Item>
                <Descriptions.Item label={t('open.catalog')} span={2}>
                  {catalogMode === 'copy'
                    ? `${t('open.catalogCopy')}：${orgLabel(v.copyFromStoreId as number)}`
                    : catalogMode === 'categories'
                      ? `${t('open.catalogCategories')}：${((v.categoryIds as number[] | undefined) ?? []).length}`
                      : t('open.catalogAll')}
                </Descriptions.Item>
              </Descriptions>
              <Typography.Title level={5}>{t('open.stepUsers')}</Typography.Title>
              <Table
                size="small"
                bordered
                pagination={false}
                rowKey={(r) => r.login ?? ''}
                dataSource={userRows}
                columns={[
                  { title: t('open.login'), dataIndex: 'login' },
                  { title: t('open.userName'), dataIndex: 'name' },
                  {
                    title: t('open.roles'),
                    dataIndex: 'roleCodes',
                    render: (codes: string[] | undefined) =>
                      (codes ?? []).map((c) => <Tag key={c}>{roleOptions.find((r) => r.value === c)?.label ?? c}</Tag>),
                  },
                ]}
              />
            </div>
          )}

          <Space style={{ marginTop: 24 }}>
            {step > 0 && <Button onClick={() => setStep(step - 1)}>{t('common.prev')}</Button>}
            {step < steps.length - 1 ? (
              <Button type="primary" htmlType="submit" loading={checking} data-testid="wizard-next">
                {t('common.next')}
              </Button>
            ) : (
              <Button type="primary" htmlType="submit" loading={zf.submitting} data-testid="wizard-submit">
                {t('open.submit')}
              </Button>
            )}
          </Space>
        </Form>
      </div>
    </div>
  );
}
