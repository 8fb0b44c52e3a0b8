import { PlusOutlined } from '@ant-design/icons';
import { distributionRelationBody } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, InputNumber, Modal, Select, Table } from 'antd';
import { useState } from 'react';
import { api } from '../../shared/api';
import { EnterSubmits, FormError } from '../../shared/FormError';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import type { DistributionRelation } from './api';
import { m } from './messages';

function RelationModal({ initial, onClose }: { initial: Partial<DistributionRelation>; onClose: (saved: boolean) => void }) {
  const t = useT(m);
  const label = useLabel();
  const { message } = App.useApp();
  const { orgs } = useSession();
  const [form] = Form.useForm();
  const zf = useZodForm(distributionRelationBody, form);
  const dcs = orgs.filter((o) => o.kind === 'dc');
  return (
    <Modal
      open
      title={t('dist.set')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={zf.submitting}
      okText={t('common.save')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        initialValues={{ priority: 100, level: 1, ...initial }}
        onFinish={(values) =>
          zf.submit(values, async (cmd) => {
            await api.put('/api/distribution-relations', cmd);
            message.success(t('common.saved'));
            onClose(true);
          })
        }
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        <Form.Item label={t('dist.store')} {...zf.item('storeId')}>
          <OrgSelect kinds={['store']} disabled={!!initial.storeId} />
        </Form.Item>
        <Form.Item label={t('dist.dc')} {...zf.item('dcId')}>
          <Select
            disabled={!!initial.dcId}
            options={dcs.map((d) => ({ value: d.id, label: `${d.code} ${label(d)}` }))}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
        <Form.Item label={t('dist.priority')} {...zf.item('priority')}>
          <InputNumber min={0} max={10000} precision={0} />
        </Form.Item>
        <Form.Item label={t('dist.level')} {...zf.item('level')}>
          <InputNumber min={1} max={9} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function DistributionPage() {
  const t = useT(m);
  const qc = useQueryClient();
  const { currentOrg, can } = useSession();
  const storeId = currentOrg?.kind === 'store' ? currentOrg.id : undefined;
  const q = useQuery({
    queryKey: ['distribution-relations', storeId ?? 'all'],
    queryFn: () => api.get<DistributionRelation[]>('/api/distribution-relations', { storeId }),
  });
  const [editing, setEditing] = useState<Partial<DistributionRelation> | null>(null);
  const canEdit = can('org:edit');
  return (
    <div>
      <PageHeader
        title={t('page.distribution')}
        extra={
          canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ storeId })}>
              {t('dist.set')}
            </Button>
          )
        }
      />
      <div className="erp-panel">
        <Alert type="info" showIcon title={t('dist.hint')} style={{ marginBottom: 12 }} />
        <Table<DistributionRelation>
          size="small"
          bordered
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data ?? []}
          pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true }}
          columns={[
            { title: t('dist.store'), dataIndex: 'storeName', sorter: (a, b) => a.storeName.localeCompare(b.storeName) },
            { title: t('dist.dc'), dataIndex: 'dcName', sorter: (a, b) => a.dcName.localeCompare(b.dcName) },
            { title: t('dist.level'), dataIndex: 'level', width: 80, sorter: (a, b) => a.level - b.level },
            { title: t('dist.priority'), dataIndex: 'priority', width: 90, sorter: (a, b) => a.priority - b.priority },
            ...(canEdit
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 90,
                    render: (_: unknown, r: DistributionRelation) => (
                      <Button type="link" size="small" onClick={() => setEditing(r)}>
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </div>
      {editing && (
        <RelationModal
          initial={editing}
          onClose={async (saved) => {
            setEditing(null);
            if (saved) await qc.invalidateQueries({ queryKey: ['distribution-relations'] });
          }}
        />
      )}
    </div>
  );
}
