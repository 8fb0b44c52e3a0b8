import {
  PAYMENT_KINDS,
  type PaymentMethodDto,
  paymentKindLabels,
  paymentMethodBody,
  updatePaymentMethodBody,
} from '@erp/contracts';
import { Form, InputNumber, Select, Switch } from 'antd';
import { CodeTablePage } from '../../shared/CodeTablePage';
import { useLabel, useT } from '../../shared/i18n';
import { m } from './messages';

export default function PaymentMethodsPage() {
  const t = useT(m);
  const label = useLabel();
  return (
    <CodeTablePage<PaymentMethodDto>
      cfg={{
        path: '/api/payment-methods',
        fn: 'payment_method',
        title: t('page.paymentMethods'),
        createSchema: paymentMethodBody,
        updateSchema: updatePaymentMethodBody,
        initialValues: { kind: 'cash', givesChange: true },
        extraColumns: [
          {
            title: t('pm.kind'),
            dataIndex: 'kind',
            width: 110,
            render: (v: PaymentMethodDto['kind']) => label(paymentKindLabels[v]),
          },
          {
            title: t('pm.givesChange'),
            dataIndex: 'givesChange',
            width: 80,
            render: (v: boolean) => (v ? t('common.yes') : t('common.no')),
          },
          { title: t('pm.sort'), dataIndex: 'sort', key: 'sort', width: 70, sorter: true },
        ],
        extraFields: (zf) => (
          <>
            <Form.Item label={t('pm.kind')} {...zf.item('kind')}>
              <Select options={PAYMENT_KINDS.map((k) => ({ value: k, label: label(paymentKindLabels[k]) }))} />
            </Form.Item>
            <Form.Item label={t('pm.givesChange')} name="givesChange" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item label={t('pm.sort')} {...zf.item('sort')}>
              <InputNumber min={0} precision={0} />
            </Form.Item>
          </>
        ),
      }}
    />
  );
}
