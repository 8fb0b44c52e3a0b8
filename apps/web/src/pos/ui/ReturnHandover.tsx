import { dec, money, sum, tenderMethodLabels } from '@erp/contracts';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useLabel, useLocale, useT } from '../../shared/i18n';
import { TILL, till } from '../api';
import { lookupScan } from '../catalog';
import { currentShiftTotals, type HandoverResult, handOver } from '../controller';
import { db, type LocalReceipt, type OutboxSale } from '../db';
import { tillErrorText } from '../errors';
import { tm } from '../messages';
import { flushOutbox, unbookedSales } from '../outbox';
import { cashOfAll, withUnsentCash } from '../outbox.rules';
import { takeReceiptNo } from '../receipts';
import { checkReturnQty, type ReturnableLine, type ReturnLine, refundPreview, returnableLines } from '../returns.rules';
import type { AuthorizationOutcome } from '../sale.rules';
import { type ServerSale, useTill } from '../store';
import { AuthorizeDialog } from './Dialogs';
import { Kbd, TillModal } from './Modal';

/**
 * Earlier formal returns of a sale (for what is still returnable), found the way the server lets a till see
 * them: the journal's returns of this store since the sale's day that name this receipt, each loaded for its
 * lines. A server that sends `returnedQty` per line spares this (see returns.rules.ts).
 */
async function earlierReturns(sale: ServerSale): Promise<{ lines: ReturnLine[] }[]> {
  type Row = { id: number; originalReceiptNo: string | null };
  const ids: number[] = [];
  const pageSize = 500;
  for (let page = 1; page <= 20; page++) {
    const r = await till.get<{ items: Row[]; total: number }>(TILL.journal, {
      kind: 'return',
      status: 'formal',
      ...(sale.businessDay ? { from: sale.businessDay } : {}),
      page,
      pageSize,
    });
    for (const x of r.items) if (x.originalReceiptNo === sale.receiptNo) ids.push(x.id);
    if (page * pageSize >= r.total) break;
  }
  const out: { lines: ReturnLine[] }[] = [];
  for (const id of ids) {
    const ret = await till.get<ServerSale>(TILL.sale(id));
    out.push({ lines: ret.lines.map((l) => ({ originalLineId: l.originalLineId ?? null, qty: l.qty, amount: l.amount })) });
  }
  return out;
}

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
  const [returnable, setReturnable] = useState<ReturnableLine[]>([]);
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
      const counted = s.lines.every((l) => l.returnedQty != null);
      setReturnable(returnableLines(s.lines, counted ? [] : await earlierReturns(s)));
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
        ? returnable
            .filter((l) => checkReturnQty(qtys[l.id], l.left) === 'ok')
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

  const preview = useMemo(() => refundPreview(returnable, qtys), [returnable, qtys]);
  const qtyErrors = returnable.filter((l) => {
    const c = checkReturnQty(qtys[l.id], l.left);
    return c === 'invalid' || c === 'exceeds';
  });
  const nothingLeft = !!sale && returnable.every((l) => dec(l.left).lessThanOrEqualTo(0));

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
            <div className="till-table-wrap">
              <table className="till-table" data-testid="return-lines">
                <thead>
                  <tr>
                    <th>{t('lines.name')}</th>
                    <th className="num">{t('return.sold')}</th>
                    <th className="num">{t('return.returned')}</th>
                    <th className="num">{t('return.left')}</th>
                    <th className="num">{t('lines.amount')}</th>
                    <th className="num">{t('return.qty')}</th>
                  </tr>
                </thead>
                <tbody>
                  {returnable.map((l) => {
                    const check = checkReturnQty(qtys[l.id], l.left);
                    const none = dec(l.left).lessThanOrEqualTo(0);
                    return (
                      <tr key={l.id} data-testid="return-line">
                        <td>{names.get(l.productId) ?? l.productId}</td>
                        <td className="num">{l.sold}</td>
                        <td className="num" data-testid="return-returned">
                          {l.returned}
                        </td>
                        <td className="num" data-testid="return-left">
                          {l.left}
                        </td>
                        <td className="num">{l.amount}</td>
                        <td className="num">
                          <input
                            className={`till-input till-input-small ${check === 'exceeds' || check === 'invalid' ? 'till-input-bad' : ''}`}
                            value={qtys[l.id] ?? ''}
                            onChange={(e) => setQtys({ ...qtys, [l.id]: e.target.value })}
                            inputMode="decimal"
                            placeholder={none ? '—' : `≤ ${l.left}`}
                            disabled={none}
                            aria-invalid={check === 'exceeds' || check === 'invalid'}
                            data-testid="return-qty"
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {qtyErrors.map((l) => (
            <div key={l.id} className="till-error" data-testid="return-qty-error">
              {checkReturnQty(qtys[l.id], l.left) === 'exceeds'
                ? t('return.exceeds', { name: names.get(l.productId) ?? l.productId, left: l.left })
                : t('qty.invalid')}
            </div>
          ))}
          {nothingLeft && <div className="till-warn">{t('return.allReturned')}</div>}
          {sale && (
            <div className="till-row">
              <span className="till-muted">{t('return.amount')}</span>
              <strong>≈ ¥{preview}</strong>
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
        disabled={busy || (mode === 'receipt' ? !sale || qtyErrors.length > 0 || nothingLeft : !manual)}
        onClick={() => void submit()}
        data-testid="return-submit"
      >
        {t('return.submit')}
      </button>
    </TillModal>
  );
}

const DENOMINATIONS = ['100', '50', '20', '10', '5', '1', '0.5', '0.1'];

/** This shift's paid sales the server has not booked: not uploaded (their cash is added here) and refused. */
function UnbookedList(props: { pending: OutboxSale[]; refused: OutboxSale[]; cash: string }) {
  const t = useT(tm);
  const row = (s: OutboxSale) => (
    <div key={s.clientId} className="till-list-row" data-testid="handover-unbooked" data-status={s.status}>
      <span className="mono">{s.receiptNo}</span>
      <span className="grow">{new Date(s.createdAt).toLocaleTimeString()}</span>
      <span className="mono">¥{s.receipt.total}</span>
    </div>
  );
  return (
    <div className="till-list" data-testid="handover-unbooked-list">
      {props.pending.length > 0 && (
        <div className="till-warn">{t('handover.unsentTitle', { n: props.pending.length, cash: props.cash })}</div>
      )}
      {props.pending.map(row)}
      {props.refused.length > 0 && <div className="till-warn">{t('handover.refusedTitle', { n: props.refused.length })}</div>}
      {props.refused.map(row)}
    </div>
  );
}

/** POS-7: 交班 with 零售缴款 — count the drawer, hand the cash over; the server records over/short. */
export function HandoverDialog(props: { onClose: () => void; onDone: (r: HandoverResult) => void }) {
  const t = useT(tm);
  const label = useLabel();
  const { locale } = useLocale();
  const unsynced = useTill((s) => s.unsynced);
  const online = useTill((s) => s.online);
  const shift = useTill((s) => s.shift);
  const [totals, setTotals] = useState<Awaited<ReturnType<typeof currentShiftTotals>>['totals']>(null);
  const [unbooked, setUnbooked] = useState<{ pending: OutboxSale[]; refused: OutboxSale[] } | null>(null);
  const [flushing, setFlushing] = useState(false);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [deposit, setDeposit] = useState('');
  const [remarks, setRemarks] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<HandoverResult | null>(null);

  // Before the hand-over the outbox is emptied; what stays (offline, refused) is listed and its cash counted.
  useEffect(() => {
    let live = true;
    void (async () => {
      if (online) {
        setFlushing(true);
        await flushOutbox();
        if (live) setFlushing(false);
      }
      const u = await unbookedSales(shift?.id);
      if (!live) return;
      setUnbooked(u);
      if (online) setTotals((await currentShiftTotals()).totals);
    })().catch((e) => live && setError(tillErrorText(e, locale)));
    return () => {
      live = false;
    };
  }, [online, locale, shift?.id]);
  const unsentCash = cashOfAll(unbooked?.pending ?? []);
  const expected =
    totals?.expectedCash == null
      ? null
      : withUnsentCash({ expectedCash: totals.expectedCash, deposit: null, overShort: null }, unsentCash).expectedCash;

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
            expected: result.figures.expectedCash ?? '—',
            deposit: result.figures.deposit ?? '—',
            overShort: result.figures.overShort ?? '—',
          })}
        </div>
        {result.unsent.count > 0 && (
          <div className="till-warn" data-testid="handover-unsent-note">
            {t('handover.unsentIncluded', { n: result.unsent.count, cash: result.unsent.cash })}
          </div>
        )}
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
      {flushing && <div className="till-muted">{t('handover.flushing')}</div>}
      {unbooked && (unbooked.pending.length > 0 || unbooked.refused.length > 0) && (
        <UnbookedList pending={unbooked.pending} refused={unbooked.refused} cash={unsentCash} />
      )}
      {totals && (
        <div className="till-grid2">
          <span>{t('handover.expected')}</span>
          <strong data-testid="handover-expected">{expected ?? t('handover.hidden')}</strong>
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
