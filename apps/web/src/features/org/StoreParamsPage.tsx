import { BUSINESS_MODES, orgParamsBody } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Form, Radio, Space, Spin, Switch } from 'antd';
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { FormError } from '../../shared/FormError';
import { useZodForm } from '../../shared/forms';
import { useT } from '../../shared/i18n';
import { OrgSelect } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import type { OrgParams } from './api';
import { m } from './messages';

function ParamsForm({ orgId }: { orgId: number }) {
  const t = useT(m);
  const { message } = App.useApp();
  const { can } = useSession();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const zf = useZodForm(orgParamsBody, form);
  const q = useQuery({ queryKey: ['org', orgId, 'params'], queryFn: () => api.get<OrgParams>(`/api/orgs/${orgId}/params`) });
  const editable = can('org_params:edit');
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data);
  }, [q.data, form]);
  if (q.isLoading) return <Spin />;
  if (q.isError) return <Alert type="error" showIcon title={(q.error as Error).message} />;
  return (
    <Form
      form={form}
      layout="horizontal"
      labelCol={{ flex: '200px' }}
      disabled={!editable}
      onFinish={(values) =>
        zf.submit(values, async (cmd) => {
          const saved = await api.put<OrgParams>(`/api/orgs/${orgId}/params`, cmd);
          qc.setQueryData(['org', orgId, 'params'], saved);
          message.success(t('common.saved'));
        })
      }
      style={{ maxWidth: 760 }}
      data-testid="params-form"
    >
      <FormError error={zf.error} />
      <Form.Item label={t('params.businessMode')} name="businessMode">
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
        name="allowNegativeStock"
        valuePropName="checked"
        extra={t('params.allowNegativeStockHint')}
      >
        <Switch />
      </Form.Item>
      <Form.Item label={t('params.receivingUpdatesDefaultShelf')} name="receivingUpdatesDefaultShelf" valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item label={t('params.handoverShowsExpectedCash')} name="handoverShowsExpectedCash" valuePropName="checked">
        <Switch />
      </Form.Item>
      {editable && (
        <Form.Item label=" " colon={false}>
          <Button type="primary" htmlType="submit" loading={zf.submitting}>
            {t('common.save')}
          </Button>
        </Form.Item>
      )}
    </Form>
  );
}

export default function StoreParamsPage() {
  const t = useT(m);
  const { currentOrg, orgs, can } = useSession();
  const [sp, setSp] = useSearchParams();
  const holding = orgs.filter((o) => o.kind === 'store' || o.kind === 'dc');
  const fromUrl = Number(sp.get('orgId') ?? '') || undefined;
  const fallback =
    currentOrg && (currentOrg.kind === 'store' || currentOrg.kind === 'dc')
      ? currentOrg.id
      : holding.length === 1
        ? holding[0]!.id
        : undefined;
  const orgId = fromUrl ?? fallback;
  return (
    <div>
      <PageHeader
        title={t('page.params')}
        extra={
          <Space>
            <span>{t('params.store')}</span>
            <OrgSelect
              kinds={['store', 'dc']}
              value={orgId}
              onChange={(v) => setSp(v ? { orgId: String(v) } : {}, { replace: true })}
              style={{ width: 260 }}
              placeholder={t('params.pick')}
              data-testid="params-org"
            />
          </Space>
        }
      />
      <div className="erp-panel">
        {orgId ? <ParamsForm key={orgId} orgId={orgId} /> : <Empty description={t('params.pick')} />}
      </div>
      {can('doc_config:view') && (
        <div className="erp-panel">
          <Alert
            type="info"
            showIcon
            title={t('params.docSettings')}
            description={
              <>
                {t('params.docSettingsHint')}{' '}
                <Link to={`/documents/settings${orgId ? `?orgId=${orgId}` : ''}`}>{t('params.docSettings')} →</Link>
              </>
            }
          />
        </div>
      )}
    </div>
  );
}
