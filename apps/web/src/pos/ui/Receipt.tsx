import { dec, type ReceiptTemplate, tenderMethodLabels } from '@erp/contracts';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { LocalReceipt } from '../db';
import './receipt.css';

/**
 * The receipt (小票, POS-10) for 58 or 80 mm paper, rendered from the store's template: header lines, the
 * lines, savings, tenders, change, receipt number and a QR code of it. Printed by the browser: the print
 * stylesheet shows only the receipt, at the paper's width.
 */

export interface StoreInfo {
  name: string;
  code: string;
  address?: string | null;
  phone?: string | null;
}

function fill(line: string, store: StoreInfo): string | null {
  const missing = (line.includes('{storeAddress}') && !store.address) || (line.includes('{storePhone}') && !store.phone);
  if (missing) return null;
  return line
    .replaceAll('{storeName}', store.name)
    .replaceAll('{storeCode}', store.code)
    .replaceAll('{storeAddress}', store.address ?? '')
    .replaceAll('{storePhone}', store.phone ?? '');
}

function qrContent(t: ReceiptTemplate, receiptNo: string, storeCode: string): string | null {
  if (t.qr === 'none') return null;
  if (t.qr === 'receipt_no' || !t.qr) return receiptNo;
  return t.qr.replaceAll('{receiptNo}', encodeURIComponent(receiptNo)).replaceAll('{storeCode}', encodeURIComponent(storeCode));
}

export function Receipt(props: {
  receipt: LocalReceipt;
  template: ReceiptTemplate;
  width: 58 | 80;
  store: StoreInfo;
  reprint?: boolean;
}) {
  const { receipt: r, template: t, width, store } = props;
  const [qr, setQr] = useState<string | null>(null);
  const content = qrContent(t, r.receiptNo, store.code);
  useEffect(() => {
    let live = true;
    if (!content) {
      setQr(null);
      return;
    }
    QRCode.toDataURL(content, { margin: 1, width: 160, errorCorrectionLevel: 'M' })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [content]);
  const isReturn = r.kind === 'return';
  return (
    <div className={`till-receipt till-receipt-${width}`} data-testid="receipt">
      {t.header.map((h) => {
        const line = fill(h, store);
        return line === null ? null : (
          <div key={h} className="r-center r-strong">
            {line}
          </div>
        );
      })}
      {isReturn && <div className="r-center r-strong">退货单 RETURN</div>}
      {props.reprint && <div className="r-center">** 重打 REPRINT **</div>}
      <div>小票号 No. {r.receiptNo}</div>
      <div className="r-row">
        <span>收银机 {r.terminalCode}</span>
        {t.showCashier && <span>收银员 {r.cashierName}</span>}
      </div>
      <div>{new Date(r.soldAt).toLocaleString('zh-CN', { hour12: false })}</div>
      {r.originalReceiptNo && <div>原小票 {r.originalReceiptNo}</div>}
      {r.offline && <div>（脱机 offline）</div>}
      <div className="r-rule" />
      {r.lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a printed receipt's lines never move
        <div key={i} className="r-line">
          <div className="r-name">{l.name}</div>
          <div className="r-row">
            <span>
              {' '}
              {l.qty} × {l.unitPrice}
            </span>
            <span>{l.amount}</span>
          </div>
          {dec(l.discount).greaterThan(0) && (
            <div className="r-row r-muted">
              <span> 优惠</span>
              <span>-{l.discount}</span>
            </div>
          )}
        </div>
      ))}
      <div className="r-rule" />
      <div className="r-row r-strong r-big">
        <span>合计 Total</span>
        <span>{r.total}</span>
      </div>
      {!dec(r.rounding).isZero() && (
        <div className="r-row">
          <span>抹零 Rounding</span>
          <span>{r.rounding}</span>
        </div>
      )}
      {r.tenders.map((tn, i) => {
        const label = tenderMethodLabels[tn.method as keyof typeof tenderMethodLabels];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a printed receipt's tenders never move
          <div key={i} className="r-row">
            <span>{label ? `${label.zh} ${label.en}` : tn.method}</span>
            <span>{tn.amount}</span>
          </div>
        );
      })}
      {!dec(r.change).isZero() && (
        <div className="r-row">
          <span>找零 Change</span>
          <span>{r.change}</span>
        </div>
      )}
      {t.showSavings && dec(r.savings).greaterThan(0) && (
        <div className="r-row r-strong">
          <span>本单节省 You saved</span>
          <span>{r.savings}</span>
        </div>
      )}
      <div className="r-rule" />
      {qr && (
        <div className="r-center">
          <img className="r-qr" src={qr} alt={r.receiptNo} data-testid="receipt-qr" />
        </div>
      )}
      {t.footer.map((f) => {
        const line = fill(f, store);
        return line === null ? null : (
          <div key={f} className="r-center">
            {line}
          </div>
        );
      })}
    </div>
  );
}

/** Where the receipt to print is mounted; the print stylesheet shows only this. */
export function PrintArea(props: { children: React.ReactNode }) {
  return createPortal(<div id="till-print-area">{props.children}</div>, document.body);
}

/** Prints what is in the print area once the browser has laid it out (and the QR image has loaded). */
export function printSoon(): void {
  setTimeout(() => {
    const area = document.getElementById('till-print-area');
    const imgs = area ? [...area.querySelectorAll('img')] : [];
    Promise.all(
      imgs.map((i) => (i.complete ? Promise.resolve() : new Promise((r) => i.addEventListener('load', r, { once: true })))),
    )
      .catch(() => undefined)
      .then(() => window.print());
  }, 60);
}
