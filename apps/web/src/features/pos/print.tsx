import QRCode from 'qrcode';
import { type ReactNode, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import './print.css';

/**
 * Browser printing from the back office (receipt reprints, price-tag sheets): the content is mounted in a
 * print area that the print stylesheet shows alone; everything else on the page is hidden on paper.
 */
export function PrintArea({ children, page }: { children: ReactNode; page?: 'receipt' | 'a4' }) {
  return createPortal(
    <div id="erp-print-area" className={page === 'a4' ? 'print-a4' : 'print-receipt'}>
      {children}
    </div>,
    document.body,
  );
}

export function printNow(): void {
  setTimeout(() => {
    const area = document.getElementById('erp-print-area');
    const imgs = area ? [...area.querySelectorAll('img')] : [];
    Promise.all(
      imgs.map((i) => (i.complete ? Promise.resolve() : new Promise((r) => i.addEventListener('load', r, { once: true })))),
    )
      .catch(() => undefined)
      .then(() => window.print());
  }, 80);
}

export function QrImage({ text, size = 120 }: { text: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { margin: 1, width: size })
      .then((u) => live && setSrc(u))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [text, size]);
  return src ? <img src={src} alt={text} width={size} height={size} /> : null;
}

export interface ReceiptData {
  receiptNo: string;
  width: 58 | 80;
  text: string[];
  qr: string | null;
}

/** The receipt exactly as the printer lines the server composed (store template, 32/48 columns). */
export function ReceiptText({ data }: { data: ReceiptData }) {
  return (
    <div className={`bo-receipt bo-receipt-${data.width}`} data-testid="bo-receipt">
      <pre>{data.text.join('\n')}</pre>
      {data.qr && (
        <div className="bo-receipt-qr">
          <QrImage text={data.qr} size={110} />
        </div>
      )}
    </div>
  );
}
