import type { DocType } from '@erp/contracts';
import { pathOfDoc } from '../inventory/kinds';

/** Purchasing documents have their own screens; stock documents are known to the inventory feature. */
const purchasingScreens: Partial<Record<DocType, string>> = {
  purchase_order: '/purchasing/orders',
  purchase_receipt: '/purchasing/receipts',
  purchase_return: '/purchasing/returns',
  self_purchase: '/purchasing/self-purchases',
  first_operation: '/purchasing/first-operations',
};

/** The screen of a document: its type's own screen when it has one, else the generic document view. */
export function documentPath(docType: DocType | string | null, id: number): string {
  const base = docType ? purchasingScreens[docType as DocType] : undefined;
  return base ? `${base}/${id}` : pathOfDoc(docType ?? '', id);
}
