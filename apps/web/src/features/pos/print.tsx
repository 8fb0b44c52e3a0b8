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

/** Characters a receipt printer prints two columns wide (the server lays lines out with the same rule). */
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

/**
 * One printer line in columns: runs of wide characters are spaced to exactly two columns each, so the right
 * column lines up in any monospace font (few fonts draw a Chinese character exactly two Latin columns wide).
 */
function PrinterLine({ line }: { line: string }) {
  const runs: { text: string; wide: boolean }[] = [];
  for (const ch of line) {
    const wide = WIDE.test(ch);
    const last = runs[runs.length - 1];
    if (last && last.wide === wide) last.text += ch;
    else runs.push({ text: ch, wide });
  }
  return (
    <>
      {runs.map((r, i) =>
        r.wide ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the runs of one fixed line, never reordered
          <span key={i} className="w">
            {r.text}
          </span>
        ) : (
          r.text
        ),
      )}
      {'\n'}
    </>
  );
}

/** The receipt exactly as the printer lines the server composed (store template, 32/48 columns). */
export function ReceiptText({ data }: { data: ReceiptData }) {
  return (
    <div className={`bo-receipt bo-receipt-${data.width}`} data-testid="bo-receipt">
      <pre>
        {data.text.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of one receipt, never reordered
          <PrinterLine key={i} line={line} />
        ))}
      </pre>
      {data.qr && (
        <div className="bo-receipt-qr">
          <QrImage text={data.qr} size={110} />
        </div>
      )}
    </div>
  );
}
