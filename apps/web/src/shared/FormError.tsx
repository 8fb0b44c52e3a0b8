import { Alert } from 'antd';

/** The form-level error (the server's localized detail) above a form's buttons. */
export function FormError({ error, onClose }: { error: string | null; onClose?: () => void }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={error}
      closable={onClose ? { onClose } : false}
      style={{ marginBottom: 16 }}
      role="alert"
      data-testid="form-error"
    />
  );
}

/**
 * Lets Enter in any field submit a form whose buttons live outside it (modal and drawer footers): browsers
 * submit a form on Enter only when it has a submit button.
 */
export function EnterSubmits() {
  return <button type="submit" hidden aria-hidden tabIndex={-1} />;
}
