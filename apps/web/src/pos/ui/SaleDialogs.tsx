import { useMemo } from 'react';
import { useT } from '../../shared/i18n';
import type { Cart } from '../db';
import { tm } from '../messages';
import { flushOutbox } from '../outbox';
import type { SaleScreen, SaleScreenState } from '../sale';
import { useTill } from '../store';
import {
  AuthorizeDialog,
  CrashDialog,
  DiscountDialog,
  HeldDialog,
  QtyDialog,
  RecentDialog,
  RefusedDialog,
  SearchDialog,
  StockDialog,
} from './Dialogs';
import { PayDialog } from './PayDialog';
import { HandoverDialog, ReturnDialog } from './ReturnHandover';

/** The dialog open over the sale screen, wired to the screen's use cases (sale.ts). */
export function SaleDialogs(props: { screen: SaleScreen; state: SaleScreenState; total: string }) {
  const t = useT(tm);
  const { screen } = props;
  const { cart, dialog } = props.state;
  const cashier = useTill((s) => s.cashier);
  const shift = useTill((s) => s.shift);
  const crashLeft = useTill((s) => s.crashLeft);
  const storeId = useTill((s) => s.terminal?.store.id ?? 0);
  const region = useTill((s) => s.settings?.region ?? null);
  // Stable while the store is: the search runs again when its environment changes.
  const env = useMemo(() => ({ storeId, region }), [storeId, region]);
  if (!dialog || !cashier || !shift) return null;
  const line = 'key' in dialog ? cart.lines.find((l) => l.key === dialog.key) : undefined;
  const close = screen.closeDialog;

  switch (dialog.kind) {
    case 'qty':
      return line ? <QtyDialog line={line} onClose={close} onSave={(qty) => screen.setQty(line.key, qty)} /> : null;
    case 'lineDiscount':
      return line ? (
        <DiscountDialog
          scope="line"
          title={`${t('disc.lineTitle')} · ${line.name}`}
          current={line.discount ?? null}
          {...(dialog.initialKind ? { initialKind: dialog.initialKind } : {})}
          limit={cashier.maxDiscountRate}
          onClose={close}
          onSave={(d) => void screen.discountLine(line.key, d)}
        />
      ) : null;
    case 'saleDiscount':
      return (
        <DiscountDialog
          scope="sale"
          title={t('disc.saleTitle')}
          current={cart.saleDiscount}
          limit={cashier.maxDiscountRate}
          onClose={close}
          onSave={(d) => void screen.discountSale(d as Cart['saleDiscount'])}
        />
      );
    case 'auth':
      return (
        <AuthorizeDialog
          purpose={dialog.purpose}
          {...(dialog.rate ? { rate: dialog.rate } : {})}
          clientSaleId={cart.clientId}
          onClose={() => screen.authorizationAnswered(null)}
          onGranted={(a) => screen.authorizationAnswered(a)}
        />
      );
    case 'pay':
      return (
        <PayDialog
          total={props.total}
          clientSaleId={cart.clientId}
          {...(dialog.method ? { initialMethod: dialog.method } : {})}
          onCancel={close}
          onComplete={screen.completeSale}
        />
      );
    case 'search':
      return <SearchDialog initial={dialog.text} env={env} onClose={close} onPick={screen.pickProduct} />;
    case 'held':
      return (
        <HeldDialog
          cashierId={cashier.id}
          onClose={close}
          onResume={(h) => void screen.resumeHeld(h)}
          onDiscard={screen.discardHeld}
        />
      );
    case 'crash':
      return crashLeft.length > 0 ? (
        <CrashDialog
          sales={crashLeft}
          onClose={close}
          onResume={(s) => void screen.resumeServerSale(s)}
          onDiscard={screen.discardCrashLeft}
        />
      ) : null;
    case 'return':
      return <ReturnDialog shiftId={shift.id} onClose={close} onDone={screen.returnDone} />;
    case 'handover':
      return <HandoverDialog onClose={close} onDone={screen.handoverDone} />;
    case 'refused':
      return <RefusedDialog onClose={close} onRecheck={() => flushOutbox({ recheckRefused: true })} />;
    case 'stock':
      return <StockDialog mode={dialog.mode} shortages={dialog.shortages} onClose={close} onSellAnyway={screen.sellAnyway} />;
    case 'recent':
      return (
        <RecentDialog
          onClose={close}
          onReprint={(s) => {
            close();
            void screen.reprint(s.receipt);
          }}
          onUpload={screen.uploadNow}
        />
      );
  }
}
