import { REASON_USAGES, type ReasonCodeDto, reasonCodeBody, reasonUsageLabels, updateReasonCodeBody } from '@erp/contracts';
import { Form, InputNumber, Select } from 'antd';
import { CodeTablePage } from '../../shared/CodeTablePage';
import { useLabel, useT } from '../../shared/i18n';
import { m } from './messages';

export default function ReasonCodesPage() {
  const t = useT(m);
  const label = useLabel();
  const usages = REASON_USAGES.map((u) => ({ value: u, label: label(reasonUsageLabels[u]) }));
  return (
    <CodeTablePage<ReasonCodeDto>
      cfg={{
        path: '/api/reason-codes',
        fn: 'reason_code',
        title: t('page.reasonCodes'),
        createSchema: reasonCodeBody,
        updateSchema: updateReasonCodeBody,
        createOnly: ['usage'],
        initialValues: { usage: 'loss' },
        filters: [{ name: 'usage', label: t('rc.usage'), type: 'select', width: 110, options: usages }],
        extraColumns: [
          {
            title: t('rc.usage'),
            dataIndex: 'usage',
            width: 90,
            render: (v: ReasonCodeDto['usage']) => label(reasonUsageLabels[v]),
          },
          { title: t('rc.sort'), dataIndex: 'sort', key: 'sort', width: 70, sorter: true },
        ],
        extraFields: (zf, mode) => (
          <>
            <Form.Item label={t('rc.usage')} {...zf.item('usage')} required>
              <Select options={usages} disabled={mode === 'edit'} />
            </Form.Item>
            <Form.Item label={t('rc.sort')} {...zf.item('sort')}>
              <InputNumber min={0} precision={0} />
            </Form.Item>
          </>
        ),
      }}
    />
  );
}
