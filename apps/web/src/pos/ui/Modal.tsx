import { type ReactNode, useEffect, useRef } from 'react';

/**
 * The till's dialog: a plain overlay that takes the keyboard (Escape closes, Enter is left to the form),
 * focuses its first field, and gives focus back to the scan field when it closes.
 */
export function TillModal(props: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  width?: number;
  testId?: string;
  /** Escape does nothing (e.g. while a payment is in flight). */
  locked?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { onClose, locked } = props;
  useEffect(() => {
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>('[data-autofocus], input:not([type=hidden]):not([disabled]), button');
    first?.focus();
    if (first instanceof HTMLInputElement) first.select();
    // The keyboard stays in the dialog: a focus call queued before it opened (the scan field's, after the
    // last sale) must not take Enter away from it when a fast cashier opens a dialog at once.
    const keep = (e: FocusEvent) => {
      const target = e.target as HTMLElement | null;
      if (!el || !target || target.closest('.till-modal')) return;
      first?.focus();
    };
    document.addEventListener('focusin', keep);
    return () => document.removeEventListener('focusin', keep);
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !locked) {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose, locked]);
  return (
    <div className="till-modal-mask" role="presentation">
      <div
        className="till-modal"
        role="dialog"
        aria-modal="true"
        style={{ width: props.width ?? 520 }}
        ref={ref}
        data-testid={props.testId}
      >
        <div className="till-modal-title">{props.title}</div>
        <div className="till-modal-body">{props.children}</div>
        {props.footer && <div className="till-modal-footer">{props.footer}</div>}
      </div>
    </div>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="till-kbd">{children}</kbd>;
}
