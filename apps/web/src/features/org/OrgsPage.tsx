import { EditOutlined, PlusOutlined, ShopOutlined } from '@ant-design/icons';
import {
  allowedParents,
  createOrgBody,
  ORG_KINDS,
  type OrgKind,
  orgKindLabels,
  STORE_MODES,
  updateOrgBody,
} from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tag,
  Tree,
  type TreeDataNode,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { EnterSubmits, FormError } from '../../shared/FormError';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { buildOrgTree, OrgKindTag } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useWarehouses } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { type OrgDto, orgKeys, useOrgList } from './api';
import { m } from './messages';

const HOLDS_GOODS: readonly OrgKind[] = ['dc', 'store'];

function OrgFormModal({
  open,
  mode,
  parent,
  org,
  onClose,
}: {
  open: boolean;
  mode: 'create' | 'edit';
  parent?: OrgDto | undefined;
  org?: OrgDto | undefined;
  onClose: (saved?: OrgDto) => void;
}) {
  const t = useT(m);
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useZodForm(createOrgBody, form);
  const edit = useZodForm(updateOrgBody, form);
  const zf = mode === 'create' ? create : edit;
  const kind = Form.useWatch('kind', form) as OrgKind | undefined;
  const kinds = ORG_KINDS.filter((k) => parent && allowedParents[k].includes(parent.kind));

  const initial =
    mode === 'edit' && org
      ? {
          name: org.name,
          nameEn: org.nameEn ?? '',
          region: org.region ?? '',
          address: org.address ?? '',
          phone: org.phone ?? '',
          active: org.active,
        }
      : {
          parentId: parent?.id,
          kind: kinds.includes('store') ? 'store' : kinds[0],
          storeMode: 'direct',
          region: parent?.region ?? '',
        };

  return (
    <Modal
      open={open}
      title={mode === 'create' ? `${t('org.new')} · ${parent ? `${parent.code} ${label(parent)}` : ''}` : t('org.edit')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={zf.submitting}
      destroyOnHidden
      width={560}
    >
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        wrapperCol={{ span: 17 }}
        initialValues={initial}
        preserve={false}
        onFinish={(values) =>
          mode === 'create'
            ? create.submit({ ...values, storeMode: values.kind === 'store' ? values.storeMode : undefined }, async (cmd) => {
                const saved = await api.post<OrgDto>('/api/orgs', cmd);
                message.success(t('common.created'));
                onClose(saved);
              })
            : edit.submit(
                values,
                async (cmd) => {
                  const saved = await api.patch<OrgDto>(`/api/orgs/${org!.id}`, cmd);
                  message.success(t('common.saved'));
                  onClose(saved);
                },
                { emptyAs: 'null' },
              )
        }
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        {mode === 'create' && (
          <>
            <Form.Item name="parentId" hidden>
              <Input />
            </Form.Item>
            <Form.Item label={t('org.kind')} {...create.item('kind')}>
              <Select options={kinds.map((k) => ({ value: k, label: label(orgKindLabels[k]) }))} />
            </Form.Item>
            {kind === 'store' && (
              <Form.Item label={t('org.storeMode')} {...create.item('storeMode')} required>
                <Select options={STORE_MODES.map((s) => ({ value: s, label: t(`storeMode.${s}`) }))} />
              </Form.Item>
            )}
            <Form.Item label={t('common.code')} {...create.item('code')}>
              <Input autoFocus maxLength={32} />
            </Form.Item>
          </>
        )}
        <Form.Item label={t('common.name')} {...zf.item('name')} required>
          <Input maxLength={100} autoFocus={mode === 'edit'} />
        </Form.Item>
        <Form.Item label={t('common.nameEn')} {...zf.item('nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label={t('org.region')} {...zf.item('region')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item label={t('org.address')} {...zf.item('address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label={t('org.phone')} {...zf.item('phone')}>
          <Input maxLength={50} />
        </Form.Item>
        {mode === 'edit' && (
          <Form.Item label={t('common.status')} name="active" valuePropName="checked" extra={t('org.activeHint')}>
            <Switch checkedChildren={t('common.active')} unCheckedChildren={t('common.inactive')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function OrgDetail({ org, onEdit, onCreateChild }: { org: OrgDto; onEdit: () => void; onCreateChild: () => void }) {
  const t = useT(m);
  const label = useLabel();
  const navigate = useNavigate();
  const { can } = useSession();
  const holds = HOLDS_GOODS.includes(org.kind);
  const warehouses = useWarehouses(org.id, holds && can('warehouse:view'));
  const day = useQuery({
    queryKey: ['org', org.id, 'business-day'],
    queryFn: () => api.get<{ current: string; lastClosed: string | null }>(`/api/orgs/${org.id}/business-day`),
    enabled: org.kind === 'store',
  });
  const canHaveChildren = ORG_KINDS.some((k) => allowedParents[k].includes(org.kind));
  const canHaveStores = allowedParents.store.includes(org.kind);
  return (
    <div className="erp-panel" data-testid="org-detail">
      <PageHeader
        title={
          <Space>
            {org.code} {label(org)} <OrgKindTag kind={org.kind} />
            {!org.active && <Tag color="red">{t('common.inactive')}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            {can('org:edit') && (
              <Button icon={<EditOutlined />} onClick={onEdit}>
                {t('common.edit')}
              </Button>
            )}
            {can('org:create') && canHaveChildren && (
              <Button icon={<PlusOutlined />} onClick={onCreateChild}>
                {t('org.new')}
              </Button>
            )}
            {can('org:create') && canHaveStores && (
              <Button type="primary" icon={<ShopOutlined />} onClick={() => navigate(`/org/open-store?parentId=${org.id}`)}>
                {t('org.openStoreHere')}
              </Button>
            )}
          </Space>
        }
      />
      <Descriptions bordered size="small" column={{ xs: 1, lg: 2 }}>
        <Descriptions.Item label={t('common.code')}>{org.code}</Descriptions.Item>
        <Descriptions.Item label={t('org.kind')}>{label(orgKindLabels[org.kind])}</Descriptions.Item>
        <Descriptions.Item label={t('common.name')}>{org.name}</Descriptions.Item>
        <Descriptions.Item label={t('common.nameEn')}>{org.nameEn}</Descriptions.Item>
        {org.kind === 'store' && (
          <Descriptions.Item label={t('org.storeMode')}>{org.storeMode ? t(`storeMode.${org.storeMode}`) : ''}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('org.region')}>{org.region}</Descriptions.Item>
        <Descriptions.Item label={t('org.address')}>{org.address}</Descriptions.Item>
        <Descriptions.Item label={t('org.phone')}>{org.phone}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          {org.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag color="red">{t('common.inactive')}</Tag>}
        </Descriptions.Item>
        {org.kind === 'store' && (
          <>
            <Descriptions.Item label={t('org.businessDay')}>{day.data?.current}</Descriptions.Item>
            <Descriptions.Item label={t('org.lastClosed')}>
              {day.data ? (day.data.lastClosed ?? t('org.notClosed')) : ''}
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      {holds && can('warehouse:view') && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('org.warehouses')}
          </Typography.Title>
          <Table
            size="small"
            bordered
            rowKey="id"
            loading={warehouses.isLoading}
            dataSource={warehouses.data ?? []}
            pagination={false}
            columns={[
              { title: t('common.code'), dataIndex: 'code', width: 140 },
              { title: t('common.name'), dataIndex: 'name' },
              {
                title: t('common.default'),
                dataIndex: 'isDefault',
                width: 80,
                render: (v: boolean) => (v ? <Tag color="blue">{t('common.default')}</Tag> : null),
              },
              {
                title: t('common.status'),
                dataIndex: 'active',
                width: 80,
                render: (v: boolean) => (v ? t('common.active') : t('common.inactive')),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}

function filterTree(nodes: ReturnType<typeof buildOrgTree<OrgDto>>, q: string, label: (o: OrgDto) => string): TreeDataNode[] {
  const needle = q.trim().toLowerCase();
  const walk = (n: (typeof nodes)[number]): TreeDataNode | null => {
    const kids = n.children.map(walk).filter((x): x is TreeDataNode => x !== null);
    const text = `${n.org.code} ${label(n.org)} ${n.org.name}`.toLowerCase();
    if (needle && !text.includes(needle) && kids.length === 0) return null;
    return {
      key: n.org.id,
      title: (
        <span data-testid={`org-node-${n.org.code}`} style={n.org.active ? undefined : { color: '#999' }}>
          {n.org.code} {label(n.org)} <OrgKindTag kind={n.org.kind} />
        </span>
      ),
      children: kids,
    };
  };
  return nodes.map(walk).filter((x): x is TreeDataNode => x !== null);
}

export default function OrgsPage() {
  const t = useT(m);
  const label = useLabel();
  const qc = useQueryClient();
  const { refresh } = useSession();
  const [sp, setSp] = useSearchParams();
  const orgs = useOrgList();
  const [q, setQ] = useState('');
  const [modal, setModal] = useState<{ mode: 'create' | 'edit'; org: OrgDto } | null>(null);
  const selectedId = Number(sp.get('id') ?? '') || orgs.data?.[0]?.id;
  const selected = orgs.data?.find((o) => o.id === selectedId);
  const treeData = useMemo(() => filterTree(buildOrgTree(orgs.data ?? []), q, label), [orgs.data, q, label]);

  return (
    <div>
      <PageHeader title={t('page.orgs')} />
      <Row gutter={12}>
        <Col xs={24} md={9} xl={7}>
          <div className="erp-panel" style={{ minHeight: 400 }}>
            <Input.Search
              placeholder={t('org.search')}
              allowClear
              value={q}
              onChange={(e) => setQ(e.target.value)}
              style={{ marginBottom: 8 }}
            />
            {orgs.isLoading ? (
              <Spin />
            ) : (
              <Tree
                treeData={treeData}
                defaultExpandAll
                key={`${q}-${orgs.dataUpdatedAt}`}
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => keys[0] !== undefined && setSp({ id: String(keys[0]) }, { replace: true })}
                blockNode
                data-testid="org-tree"
              />
            )}
          </div>
        </Col>
        <Col xs={24} md={15} xl={17}>
          {selected ? (
            <OrgDetail
              org={selected}
              onEdit={() => setModal({ mode: 'edit', org: selected })}
              onCreateChild={() => setModal({ mode: 'create', org: selected })}
            />
          ) : (
            <div className="erp-panel">
              <Empty description={t('org.select')} />
            </div>
          )}
        </Col>
      </Row>
      {modal && (
        <OrgFormModal
          open
          mode={modal.mode}
          parent={modal.mode === 'create' ? modal.org : undefined}
          org={modal.mode === 'edit' ? modal.org : undefined}
          onClose={async (saved) => {
            setModal(null);
            if (saved) {
              await qc.invalidateQueries({ queryKey: orgKeys.all });
              await refresh();
              setSp({ id: String(saved.id) }, { replace: true });
            }
          }}
        />
      )}
    </div>
  );
}
