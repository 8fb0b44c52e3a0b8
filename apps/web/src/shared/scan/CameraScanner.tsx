import { Alert, Modal, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n';
import { scanMessages } from './messages';

/**
 * Reads a barcode or QR code with the phone's camera (INV-8), using @zxing/browser (loaded only when the
 * camera is opened). The back camera is preferred; the dialog closes at the first code read.
 */
export function CameraScanner({ open, onClose, onCode }: { open: boolean; onClose: () => void; onCode: (code: string) => void }) {
  const t = useT(scanMessages);
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (!open) return;
    let stopped = false;
    let stop: (() => void) | null = null;
    setError(null);
    setStarting(true);
    (async () => {
      try {
        const { BrowserMultiFormatReader } = await import('@zxing/browser');
        if (stopped || !video.current) return;
        const reader = new BrowserMultiFormatReader();
        const controls = await reader.decodeFromConstraints(
          { video: { facingMode: { ideal: 'environment' } }, audio: false },
          video.current,
          (result, _err, ctl) => {
            if (!result || stopped) return;
            stopped = true;
            ctl.stop();
            onCode(result.getText());
            onClose();
          },
        );
        if (stopped) controls.stop();
        else stop = () => controls.stop();
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (!stopped) setStarting(false);
      }
    })();
    return () => {
      stopped = true;
      stop?.();
    };
  }, [open, onClose, onCode]);

  return (
    <Modal open={open} title={t('scan.cameraTitle')} onCancel={onClose} footer={null} destroyOnHidden width={420} centered>
      {error ? (
        <Alert type="error" showIcon title={t('scan.cameraFailed', { reason: error })} />
      ) : (
        <>
          <video ref={video} className="erp-scan-video" muted playsInline data-testid="scan-video" />
          <Typography.Text type="secondary">{starting ? t('scan.cameraStarting') : t('scan.cameraHint')}</Typography.Text>
        </>
      )}
    </Modal>
  );
}
