import { dec, money, sum, tenderMethodLabels } from '@erp/contracts';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useLabel, useLocale, useT } from '../../shared/i18n';
import { TILL, till, tillErrorText } from '../api';
import { lookupScan } from '../catalog';
import { currentShiftTotals, type HandoverResult, handOver } from '../controller';
import { db, type LocalReceipt } from '../db';
import { tm } from '../messages';
import { takeReceiptNo } from '../receipts';
import { type ServerSale, useTill } from '../store';
import { type AuthorizationOutcome, AuthorizeDialog } from './Dialogs';
import { Kbd, TillModal } from './Modal';

/** POS-6: returns from the original receipt (partial; refunded to the original tenders) or manual with authorisation. */
export function ReturnDialog(props: {
  shiftId: string;
  onClose: () => void;
  onDone: (receipt: LocalReceipt, refund: string) => void;
}) {
  const t = useT(tm);
  const { locale } = useLocale();
  const terminal = useTill((s) => s.terminal);
  const cashier = useTill((s) => s.cashier);
  const settings = useTill((s) => s.settings);
  const [mode, setMode] = useState<'receipt' | 'manual'>('receipt');
  const [receiptNo, setReceiptNo] = useState('');
  const [sale, setSale] = useState<ServerSale | null>(null);
  const [names, setNames] = useState<Map<number, string>>(new Map());
  const [qtys, setQtys] = useState<Record<number, string>>({});
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [clientId] = useState(() => crypto.randomUUID());
  // manual return
  const [code, setCode] = useState('');
  const [manual, setManual] = useState<{ productId: number; name: string; qty: string; amount: string } | null>(null);
  const [refundMethod, setRefundMethod] = useState<'cash' | 'bank_card'>('cash');
  const [askAuth, setAskAuth] = useState(false);

  const find = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const no = receiptNo.trim();
      const page = await till.get<{ items: { id: number; receiptNo: string; kind: string; status: string }[] }>(TILL.journal, {
        receiptNo: no,
        kind: 'sale',
        status: 'formal',
        pageSize: 20,
      });
      const hit = page.items.find((i) => i.receiptNo === no);
      if (!hit) {
        setSale(null);
        setError(t('return.notFound', { receiptNo: no }));
        return;
      }
      const s = await till.get<ServerSale>(TILL.sale(hit.id));
      const products = await db.products.bulkGet(s.lines.map((l) => l.productId));
      setNames(new Map(products.filter((p) => !!p).map((p) => [p!.id, `${p!.name}${p!.spec ? ` ${p!.spec}` : ''}`])));
      setSale(s);
      setQtys({});
    } catch (err) {
      setError(tillErrorText(err, locale));
    } finally {
      setBusy(false);
    }
  };

  const findProduct = async (e: FormEvent) => {
    e.preventDefault();
    if (!terminal) return;
    const hit = await lookupScan(
      code.trim(),
      { storeId: terminal.store.id, region: settings?.region ?? null },
      settings?.scale ?? null,
    );
    if (!hit) return setError(t('scan.notFound', { code }));
    setError(null);
    setManual({ productId: hit.product.id, name: hit.product.name, qty: '1', amount: money(hit.price ?? '0') });
  };

  const submit = async (authorizationId?: string) => {
    if (!cashier || !terminal) return;
    setError(null);
    const lines =
      mode === 'receipt'
        ? (sale?.lines ?? [])
            .filter((l) => qtys[l.id] && dec(qtys[l.id] as string).greaterThan(0))
            .map((l) => ({ originalLineId: l.id, qty: dec(qtys[l.id] as string).toFixed(3) }))
        : manual
          ? [{ productId: manual.productId, qty: dec(manual.qty).toFixed(3), amount: money(manual.amount) }]
          : [];
    if (!lines.length) return setError(t('return.noLines'));
    if (mode === 'manual' && !authorizationId) return setAskAuth(true);
    setBusy(true);
    try {
      const no = await takeReceiptNo();
      const r = await till.post<ServerSale & { originalSaleId: number | null }>(
        TILL.returns,
        {
          clientId,
          receiptNo: no,
          ...(mode === 'receipt' ? { originalReceiptNo: sale?.receiptNo } : { refundMethod, authorizationId }),
          shiftId: props.shiftId,
          lines,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        },
        { idempotencyKey: clientId, timeoutMs: 20_000 },
      );
      const products = await db.products.bulkGet(r.lines.map((l) => l.productId));
      const receipt: LocalReceipt = {
        receiptNo: r.receiptNo,
        kind: 'return',
        soldAt: String(r.soldAt),
        cashierName: cashier.name,
        terminalCode: terminal.terminalCode,
        lines: r.lines.map((l, i) => ({
          name: products[i]?.name ?? names.get(l.productId) ?? String(l.productId),
          qty: dec(l.qty).toString(),
          unitPrice: money(l.basePrice),
          amount: l.amount,
          discount: '0.00',
        })),
        gross: r.gross,
        discount: '0.00',
        rounding: '0.00',
        total: r.total,
        tenders: r.tenders.map((x) => ({ method: x.method, amount: x.amount })),
        paid: r.paid,
        change: '0.00',
        savings: '0.00',
        originalReceiptNo: mode === 'receipt' ? (sale?.receiptNo ?? null) : null,
        offline: false,
      };
      await db.kv.put({ key: 'lastReceipt', value: receipt });
      props.onDone(receipt, money(dec(r.total).abs()));
    } catch (err) {
      setError(tillErrorText(err, locale));
    } finally {
      setBusy(false);
    }
  };

  const refundPreview = useMemo(() => {
    if (!sale) return '0.00';
    return money(
      sum(
        sale.lines.map((l) => {
          const q = qtys[l.id];
          if (!q || !/^\d+(\.\d+)?$/.test(q)) return '0';
          return dec(l.amount).times(q).dividedBy(l.qty);
        }),
      ),
    );
  }, [sale, qtys]);

  if (askAuth) {
    return (
      <AuthorizeDialog
        purpose="manual_return"
        onClose={() => setAskAuth(false)}
        onGranted={(a: AuthorizationOutcome) => {
          setAskAuth(false);
          if (a.kind === 'online') void submit(a.id);
          else setError(t('msg.needOnline'));
        }}
      />
    );
  }

  return (
    <TillModal title={t('return.title')} onClose={props.onClose} width={820} testId="return-dialog" locked={busy}>
      <div className="till-row">
        <button
          type="button"
          className={`till-btn till-btn-small ${mode === 'receipt' ? 'till-btn-primary' : ''}`}
          onClick={() => setMode('receipt')}
        >
          {t('return.byReceipt')}
        </button>
        <button
          type="button"
          className={`till-btn till-btn-small ${mode === 'manual' ? 'till-btn-primary' : ''}`}
          onClick={() => setMode('manual')}
          data-testid="return-manual"
        >
          {t('return.manual')}
        </button>
      </div>
      {mode === 'receipt' ? (
        <>
          <form onSubmit={find} className="till-row">
            <input
              className="till-input grow"
              value={receiptNo}
              onChange={(e) => setReceiptNo(e.target.value.toUpperCase())}
              placeholder={t('return.receiptNo')}
              data-testid="return-receipt"
            />
            <button type="submit" className="till-btn" disabled={busy || !receiptNo.trim()}>
              {t('return.find')}
            </button>
          </form>
          {sale && (
            <table className="till-table" data-testid="return-lines">
              <thead>
                <tr>
                  <th>{t('lines.name')}</th>
                  <th className="num">{t('return.sold')}</th>
                  <th className="num">{t('lines.amount')}</th>
                  <th className="num">{t('return.qty')}</th>
                </tr>
              </thead>
              <tbody>
                {sale.lines.map((l) => (
                  <tr key={l.id}>
                    <td>{names.get(l.productId) ?? l.productId}</td>
                    <td className="num">{dec(l.qty).toString()}</td>
                    <td className="num">{l.amount}</td>
                    <td className="num">
                      <input
                        className="till-input till-input-small"
                        value={qtys[l.id] ?? ''}
                        onChange={(e) => setQtys({ ...qtys, [l.id]: e.target.value })}
                        inputMode="decimal"
                        data-testid="return-qty"
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {sale && (
            <div className="till-row">
              <span className="till-muted">{t('return.amount')}</span>
              <strong>≈ ¥{refundPreview}</strong>
            </div>
          )}
        </>
      ) : (
        <>
          <form onSubmit={findProduct} className="till-row">
            <input
              className="till-input grow"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              placeholder={t('scan.placeholder')}
              data-testid="return-product"
            />
            <button type="submit" className="till-btn">
              {t('return.find')}
            </button>
          </form>
          {manual && (
            <div className="till-grid2">
              <span>{t('return.product')}</span>
              <strong>{manual.name}</strong>
              <span>{t('return.qty')}</span>
              <input className="till-input" value={manual.qty} onChange={(e) => setManual({ ...manual, qty: e.target.value })} />
              <span>{t('return.amount')}</span>
              <input
                className="till-input"
                value={manual.amount}
                onChange={(e) => setManual({ ...manual, amount: e.target.value })}
              />
              <span>{t('return.refundMethod')}</span>
              <div className="till-row">
                {(['cash', 'bank_card'] as const).map((m) => (
                  <button
                    key={m}
                    type="button"
                    className={`till-btn till-btn-small ${refundMethod === m ? 'till-btn-primary' : ''}`}
                    onClick={() => setRefundMethod(m)}
                  >
                    {m === 'cash' ? t('pay.cash') : t('pay.card')}
                  </button>
                ))}
              </div>
            </div>
          )}
        </>
      )}
      <label>
        {t('return.reason')}
        <input className="till-input" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {error && (
        <div className="till-error" role="alert" data-testid="return-error">
          {error}
        </div>
      )}
      <button
        type="button"
        className="till-btn till-btn-primary till-btn-wide"
        disabled={busy || (mode === 'receipt' ? !sale : !manual)}
        onClick={() => void submit()}
        data-testid="return-submit"
      >
        {t('return.submit')}
      </button>
    </TillModal>
  );
}

const DENOMINATIONS = ['100', '50', '20', '10', '5', '1', '0.5', '0.1'];

/** POS-7: 交班 with 零售缴款 — count the drawer, hand the cash over; the server records over/short. */
export function HandoverDialog(props: { onClose: () => void; onDone: (r: HandoverResult) => void }) {
  const t = useT(tm);
  const label = useLabel();
  const { locale } = useLocale();
  const unsynced = useTill((s) => s.unsynced);
  const online = useTill((s) => s.online);
  const [totals, setTotals] = useState<Awaited<ReturnType<typeof currentShiftTotals>>['totals']>(null);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [deposit, setDeposit] = useState('');
  const [remarks, setRemarks] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<HandoverResult | null>(null);

  useEffect(() => {
    if (!online) return;
    currentShiftTotals()
      .then((r) => setTotals(r.totals))
      .catch((e) => setError(tillErrorText(e, locale)));
  }, [online, locale]);

  const counted = useMemo(
    () =>
      money(
        sum(
          DENOMINATIONS.map((d) => {
            const n = counts[d];
            return n && /^\d+$/.test(n) ? dec(d).times(n) : '0';
          }),
        ),
      ),
    [counts],
  );
  useEffect(() => {
    if (Object.values(counts).some((v) => v)) setDeposit(counted);
  }, [counted, counts]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{1,9}(\.\d{1,2})?$/.test(deposit.trim())) return setError(t('handover.deposit'));
    setBusy(true);
    setError(null);
    try {
      const denominations = Object.fromEntries(
        Object.entries(counts)
          .filter(([, v]) => v && /^\d+$/.test(v) && Number(v) > 0)
          .map(([k, v]) => [k, Number(v)]),
      );
      const r = await handOver(
        money(deposit.trim()),
        Object.keys(denominations).length ? denominations : undefined,
        remarks.trim() || undefined,
      );
      setResult(r);
    } catch (err) {
      setError(tillErrorText(err, locale));
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    return (
      <TillModal title={t('handover.title')} onClose={() => props.onDone(result)} testId="handover-result">
        <div className="till-big-note" data-testid="handover-summary">
          {t('handover.result', {
            expected: result.shift.expectedCash ?? '—',
            deposit: result.shift.deposit ?? '—',
            overShort: result.shift.overShort ?? '—',
          })}
        </div>
        <button type="button" className="till-btn till-btn-primary till-btn-wide" onClick={() => props.onDone(result)}>
          {t('common.confirm')} <Kbd>Enter</Kbd>
        </button>
      </TillModal>
    );
  }
  const blocked = !online;
  return (
    <TillModal title={t('handover.title')} onClose={props.onClose} width={640} testId="handover-dialog" locked={busy}>
      {blocked && <div className="till-warn">{unsynced ? t('handover.flushFirst', { n: unsynced }) : t('msg.needOnline')}</div>}
      {totals && (
        <div className="till-grid2">
          <span>{t('handover.expected')}</span>
          <strong data-testid="handover-expected">{totals.expectedCash ?? t('handover.hidden')}</strong>
          <span>{t('handover.byTender')}</span>
          <span>
            {totals.byTender
              .map(
                (x) =>
                  `${label(tenderMethodLabels[x.method as keyof typeof tenderMethodLabels] ?? { zh: x.method, en: x.method })} ${x.net}`,
              )
              .join(' · ') || '—'}
          </span>
        </div>
      )}
      <form onSubmit={submit}>
        <div className="till-muted">{t('handover.count')}</div>
        <div className="denoms">
          {DENOMINATIONS.map((d) => (
            <label key={d} className="denom">
              <span>¥{d} ×</span>
              <input
                className="till-input till-input-small"
                value={counts[d] ?? ''}
                onChange={(e) => setCounts({ ...counts, [d]: e.target.value })}
                inputMode="numeric"
              />
            </label>
          ))}
        </div>
        <label>
          {t('handover.deposit')}
          <input
            className="till-input till-input-big"
            value={deposit}
            onChange={(e) => setDeposit(e.target.value)}
            inputMode="decimal"
            data-testid="handover-deposit"
          />
        </label>
        <label>
          {t('handover.remarks')}
          <input className="till-input" value={remarks} onChange={(e) => setRemarks(e.target.value)} />
        </label>
        {error && (
          <div className="till-error" role="alert">
            {error}
          </div>
        )}
        <button
          type="submit"
          className="till-btn till-btn-primary till-btn-wide"
          disabled={busy || blocked}
          data-testid="handover-submit"
        >
          {t('handover.submit')}
        </button>
      </form>
    </TillModal>
  );
}
