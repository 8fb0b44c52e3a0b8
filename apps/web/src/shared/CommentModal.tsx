import { Alert, Form, Input, Modal } from 'antd';
import { type ReactNode, useState } from 'react';
import { EnterSubmits } from './FormError';
import { useT } from './i18n';

/**
 * A reason or review comment for a document action. Required for a rejection (SPEC DOC): the dialog then
 * refuses an empty one before anything reaches the server.
 */
export function CommentModal({
  title,
  warning,
  required,
  danger,
  commentLabel,
  onOk,
  onClose,
  children,
}: {
  title: string;
  warning?: string | undefined;
  required: boolean;
  danger?: boolean;
  commentLabel?: string;
  onOk: (comment: string | undefined) => Promise<void>;
  onClose: () => void;
  children?: ReactNode;
}) {
  const t = useT();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ danger: !!danger, 'data-testid': 'comment-ok' } as never}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v: { comment?: string }) => {
          setBusy(true);
          try {
            await onOk(v.comment?.trim() || undefined);
          } finally {
            setBusy(false);
          }
        }}
      >
        {warning && <Alert type="warning" showIcon title={warning} style={{ marginBottom: 12 }} />}
        {children}
        <Form.Item
          name="comment"
          label={commentLabel ?? (required ? t('common.commentRequired') : t('common.comment'))}
          rules={required ? [{ required: true, whitespace: true, message: t('common.commentRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={1000} autoFocus showCount data-testid="comment-input" />
        </Form.Item>
        <EnterSubmits />
      </Form>
    </Modal>
  );
}
