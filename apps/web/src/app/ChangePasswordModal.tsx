import { changePasswordBody } from '@erp/contracts';
import { App, Form, Input, Modal } from 'antd';
import { api } from '../shared/api';
import { EnterSubmits, FormError } from '../shared/FormError';
import { useZodForm } from '../shared/forms';
import { useT } from '../shared/i18n';

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const zf = useZodForm(changePasswordBody, form);
  const close = () => {
    form.resetFields();
    zf.setError(null);
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('shell.changePassword')}
      onCancel={close}
      onOk={() => form.submit()}
      confirmLoading={zf.submitting}
      okText={t('common.save')}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          zf.submit(values, async (cmd) => {
            await api.post('/api/auth/password', cmd);
            message.success(t('password.changed'));
            close();
          })
        }
      >
        <FormError error={zf.error} />
        <EnterSubmits />
        <Form.Item label={t('password.current')} {...zf.item('currentPassword')}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item label={t('password.new')} {...zf.item('newPassword')} extra={t('password.policy')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={t('password.repeat')}
          name="repeat"
          dependencies={['newPassword']}
          required
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_r, v) => {
                if (v !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
