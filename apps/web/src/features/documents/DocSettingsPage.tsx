import { type DocType, docTypes } from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Empty, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, errorText } from '../../shared/api';
import { useDocTypeLabel } from '../../shared/docs';
import { useT } from '../../shared/i18n';
import { OrgSelect } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { type DocTypeSetting, useDocConfig } from './api';
import { m } from './messages';

export default function DocSettingsPage() {
  const t = useT(m);
  const typeLabel = useDocTypeLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { currentOrgId, me, can } = useSession();
  const [sp, setSp] = useSearchParams();
  const orgId = Number(sp.get('orgId') ?? '') || currentOrgId || me?.orgId;
  const config = useDocConfig(orgId);
  const [saving, setSaving] = useState<string | null>(null);
  const editable = can('doc_config:edit');

  const save = async (row: DocTypeSetting, patch: Partial<Pick<DocTypeSetting, 'needsApproval' | 'autoPost'>>) => {
    setSaving(row.docType);
    try {
      await api.put('/api/doc-config', {
        orgId,
        docType: row.docType,
        needsApproval: patch.needsApproval ?? row.needsApproval,
        autoPost: patch.autoPost ?? row.autoPost,
      });
      message.success(t('settings.saved', { type: typeLabel(row.docType) }));
      await qc.invalidateQueries({ queryKey: ['doc-config'] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(null);
    }
  };

  return (
    <div>
      <PageHeader
        title={t('page.settings')}
        extra={
          <Space>
            <span>{t('settings.org')}</span>
            <OrgSelect
              value={orgId}
              allowClear={false}
              onChange={(v) => setSp(v ? { orgId: String(v) } : {}, { replace: true })}
              style={{ width: 260 }}
              placeholder={t('settings.pick')}
            />
          </Space>
        }
      />
      <div className="erp-panel">
        <Alert type="info" showIcon title={t('settings.hint')} style={{ marginBottom: 12 }} />
        {!orgId ? (
          <Empty description={t('settings.pick')} />
        ) : (
          <Table<DocTypeSetting>
            size="small"
            bordered
            rowKey="docType"
            loading={config.isLoading}
            dataSource={config.data ?? []}
            pagination={false}
            columns={[
              { title: t('doc.type'), dataIndex: 'docType', render: (v: DocType) => typeLabel(v) },
              {
                title: t('settings.stockEffect'),
                key: 'stock',
                width: 120,
                render: (_: unknown, r) =>
                  docTypes[r.docType]?.stockEffect ? (
                    <Tag color="green">{t('common.yes')}</Tag>
                  ) : (
                    <Tag>{t('settings.noStock')}</Tag>
                  ),
              },
              {
                title: t('settings.needsApproval'),
                dataIndex: 'needsApproval',
                width: 120,
                render: (v: boolean, r) => (
                  <Switch
                    checked={v}
                    disabled={!editable}
                    loading={saving === r.docType}
                    onChange={(on) => save(r, { needsApproval: on })}
                    aria-label={`${r.docType} needsApproval`}
                  />
                ),
              },
              {
                title: t('settings.autoPost'),
                dataIndex: 'autoPost',
                width: 140,
                render: (v: boolean, r) => (
                  <Switch
                    checked={v}
                    disabled={!editable || !docTypes[r.docType]?.stockEffect}
                    loading={saving === r.docType}
                    onChange={(on) => save(r, { autoPost: on })}
                    aria-label={`${r.docType} autoPost`}
                  />
                ),
              },
            ]}
          />
        )}
      </div>
    </div>
  );
}
