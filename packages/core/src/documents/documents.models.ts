import type { DocumentLine, DocumentWithLines } from '@erp/contracts';

export type { DocumentHeader, DocumentLine, DocumentWithLines } from '@erp/contracts';

/** Lines that count: not voided, not rejected at line level. */
export function effectiveLines(doc: DocumentWithLines): DocumentLine[] {
  return doc.lines.filter((l) => l.status === 'active' && l.approvalStatus !== 'rejected');
}
