import type { LedgerSource, Wire } from '@erp/contracts';
import { Link } from 'react-router';
import { useLabel } from '../../shared/i18n';
import { useSession } from '../../shared/session';
import { documentPath } from '../documents/paths';

/**
 * Where a ledger row came from, as people name it (INV-3): the document number linking to its screen, or the
 * till receipt number linking to the retail journal filtered on it — never an internal id or a type code.
 */
export function LedgerSourceNumber({ source }: { source: Wire<LedgerSource> }) {
  const { can } = useSession();
  const to = sourcePath(source, can);
  if (!source.number) return null;
  return to ? (
    <Link to={to} data-testid="ledger-source">
      {source.number}
    </Link>
  ) : (
    <span data-testid="ledger-source">{source.number}</span>
  );
}

/** The localized type of a ledger row's source (报损单 / Loss, 零售销售 / Retail sale). */
export function useLedgerSourceLabel() {
  const label = useLabel();
  return (source: Wire<LedgerSource>) => label(source.label);
}

/** Type and number together, for a single "source" column. */
export function LedgerSourceCell({ source }: { source: Wire<LedgerSource> }) {
  const typeOf = useLedgerSourceLabel();
  return (
    <span>
      <span style={{ marginInlineEnd: 6 }}>{typeOf(source)}</span>
      <LedgerSourceNumber source={source} />
    </span>
  );
}

function sourcePath(source: Wire<LedgerSource>, can: (grant: string) => boolean): string | null {
  if (source.kind === 'document' && source.documentId !== null && source.docType) {
    return can(`doc.${source.docType}:view`) ? documentPath(source.docType, source.documentId) : null;
  }
  if (source.kind === 'pos_sale' && source.number && can('pos.sale:view')) {
    const q = new URLSearchParams({ receiptNo: source.number });
    if (source.businessDay) {
      q.set('from', source.businessDay);
      q.set('to', source.businessDay);
    }
    return `/retail/journal?${q.toString()}`;
  }
  return null;
}
