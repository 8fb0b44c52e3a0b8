import { CameraOutlined, CheckCircleFilled, CloseCircleFilled, LoadingOutlined, ScanOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Grid, Input, type InputRef, Space, Tooltip } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fmtDecimal } from '../format';
import { useT } from '../i18n';
import { CameraScanner } from './CameraScanner';
import { lookupScan, ScanError, type ScanHit } from './lookup';
import { scanMessages } from './messages';
import { WedgeBurst } from './wedge';
import './scan.css';

/** What a screen says about a scan it took (or refused): shown beside the scan box. */
export type ScanOutcome = { ok: true; message?: string } | { ok: false; message: string };

export interface ScanBoxProps {
  /** Adds or increments a line for the scanned product; may refuse (e.g. "not on this order"). */
  onHit: (hit: ScanHit) => ScanOutcome | undefined | Promise<ScanOutcome | undefined>;
  /** The org the goods are for (price labels are converted with its retail price). */
  orgId?: number | null | undefined;
  disabled?: boolean;
  /** Also take scanner bursts typed while the focus is elsewhere on the page (default true). */
  global?: boolean;
  autoFocus?: boolean;
  width?: number;
}

interface Feedback {
  state: 'busy' | 'ok' | 'error';
  text: string;
}

/** Only the most recently mounted scan box listens to the whole page. */
const owners: symbol[] = [];

function isEditable(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
}

/** Sets an input's value the way typing does, so React (and antd forms) see the change. */
function restoreValue(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')?.set;
  setter?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * The one scanning component of every line-entry grid (INV-8). A keyboard-wedge scanner's burst (digits a few
 * milliseconds apart, then Enter) is taken wherever the focus is — typed into a quantity cell by accident, the
 * digits are taken back out — and looked up through the API, weighed-goods labels included; typing a barcode
 * or product code into the box and pressing Enter does the same. On a phone-width screen a camera button scans
 * with the camera. F2 puts the cursor in the box.
 */
export function ScanBox({ onHit, orgId, disabled, global = true, autoFocus, width = 360 }: ScanBoxProps) {
  const t = useT(scanMessages);
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const input = useRef<InputRef>(null);
  const [value, setValue] = useState('');
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [camera, setCamera] = useState(false);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const closeCamera = useCallback(() => setCamera(false), []);
  const latest = useRef({ onHit, orgId });
  latest.current = { onHit, orgId };

  const handle = useCallback(
    async (code: string) => {
      setFeedback({ state: 'busy', text: t('scan.looking', { code }) });
      try {
        const hit = await lookupScan(qc, code, latest.current.orgId);
        const outcome = await latest.current.onHit(hit);
        if (outcome && !outcome.ok) {
          setFeedback({ state: 'error', text: outcome.message });
          return;
        }
        const unit = hit.unitName ?? hit.product.baseUnitName ?? '';
        const weighed = hit.scale ? t('scan.weighed', { value: fmtDecimal(hit.scale.value) }) : '';
        setFeedback({
          state: 'ok',
          text:
            outcome?.message ??
            `${t('scan.added', { product: `${hit.product.code} ${hit.product.name}`, qty: ` ×${fmtDecimal(hit.unitQty)}`, unit })}${weighed}`,
        });
      } catch (e) {
        if (e instanceof ScanError) {
          const f = e.failure;
          const text =
            f.kind === 'not_found'
              ? f.plu
                ? t('scan.notFoundPlu', { code: f.code, plu: f.plu })
                : t('scan.notFound', { code: f.code })
              : f.kind === 'price_label'
                ? t('scan.priceLabel', { product: f.product })
                : t('scan.failed', { code: f.code, message: f.message });
          setFeedback({ state: 'error', text });
        } else setFeedback({ state: 'error', text: e instanceof Error ? e.message : String(e) });
      }
    },
    [qc, t],
  );

  const submit = useCallback(
    (raw: string) => {
      const code = raw.trim();
      if (!code) return;
      queue.current = queue.current.then(() => handle(code));
    },
    [handle],
  );

  // Page-wide: scanner bursts typed while another field has the focus, and F2 to focus the box.
  useEffect(() => {
    if (disabled || !global) return;
    const me = Symbol('scan-box');
    owners.push(me);
    const burst = new WedgeBurst();
    const own = () => input.current?.input ?? null;
    const onKey = (e: KeyboardEvent) => {
      if (owners[owners.length - 1] !== me) return;
      if (e.key === 'F2') {
        e.preventDefault();
        input.current?.focus({ cursor: 'all' });
        return;
      }
      const target = document.activeElement;
      if (e.isComposing || e.ctrlKey || e.altKey || e.metaKey || target === own()) {
        burst.reset();
        return;
      }
      // Dialogs and drop-downs keep their keys (a product picker takes barcodes itself).
      if (target?.closest('.ant-modal, .ant-select, .ant-picker, .ant-select-dropdown')) {
        burst.reset();
        return;
      }
      // Scanners press Shift for capitals: part of the burst, not a break in it.
      if (e.key === 'Shift') return;
      if (e.key.length === 1) {
        burst.key(e.key, e.timeStamp, target, isEditable(target) ? target.value : null);
        return;
      }
      if (e.key !== 'Enter') {
        burst.reset();
        return;
      }
      const b = burst.enter(e.timeStamp);
      if (!b) return;
      e.preventDefault();
      e.stopPropagation();
      if (isEditable(b.target as Element | null) && b.valueBefore !== null) {
        restoreValue(b.target as HTMLInputElement, b.valueBefore);
      }
      submit(b.code);
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      owners.splice(owners.indexOf(me), 1);
    };
  }, [disabled, global, submit]);

  const icon =
    feedback?.state === 'busy' ? (
      <LoadingOutlined />
    ) : feedback?.state === 'ok' ? (
      <CheckCircleFilled style={{ color: '#389e0d' }} />
    ) : feedback?.state === 'error' ? (
      <CloseCircleFilled style={{ color: '#cf1322' }} />
    ) : null;

  return (
    <div className="erp-scan">
      <Space.Compact style={{ width: phone ? '100%' : width }}>
        <Input
          ref={input}
          value={value}
          disabled={disabled}
          autoFocus={autoFocus}
          allowClear
          prefix={<ScanOutlined />}
          placeholder={t('scan.placeholder')}
          aria-label={t('scan.label')}
          data-testid="scan-input"
          inputMode="numeric"
          autoComplete="off"
          onChange={(e) => setValue(e.target.value)}
          onPressEnter={(e) => {
            e.preventDefault();
            submit(value);
            setValue('');
          }}
        />
        {phone && (
          <Tooltip title={t('scan.camera')}>
            <Button
              icon={<CameraOutlined />}
              disabled={disabled}
              onClick={() => setCamera(true)}
              aria-label={t('scan.camera')}
              data-testid="scan-camera"
            />
          </Tooltip>
        )}
      </Space.Compact>
      {feedback && (
        <span
          className={`erp-scan-feedback erp-scan-${feedback.state}`}
          role={feedback.state === 'error' ? 'alert' : 'status'}
          data-testid="scan-feedback"
          data-state={feedback.state}
        >
          {icon} {feedback.text}
        </span>
      )}
      <CameraScanner open={camera} onClose={closeCamera} onCode={submit} />
    </div>
  );
}
