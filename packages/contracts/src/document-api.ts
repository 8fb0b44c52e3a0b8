import { z } from 'zod';
import { costString, id, isoDate, moneyString, pageQuery, qtyString } from './common.js';
import { DOC_ACTIONS, DOC_STATUSES } from './documents.js';
import { jsonObject, text } from './validation.js';

export const documentLineInput = z.object({
  productId: id.optional(),
  qty: qtyString.optional(),
  unitPrice: costString.optional(),
  amount: moneyString.optional(),
  warehouseId: id.optional(),
  batchNo: text().trim().max(50).optional(),
  lotNo: text().trim().max(50).optional(),
  expiryDate: isoDate.nullable().optional(),
  shelfId: id.nullable().optional(),
  stockStatus: z.enum(['sellable', 'unsellable', 'pending_check']).optional(),
  refLineId: id.optional(),
  remarks: text().max(500).optional(),
  attrs: jsonObject().optional(),
});
export type DocumentLineInput = z.infer<typeof documentLineInput>;

export const createDocumentBody = z.object({
  docType: text().max(40),
  orgId: id,
  warehouseId: id.optional(),
  businessDate: isoDate.optional(),
  counterpartyOrgId: id.optional(),
  partnerId: id.optional(),
  refDocumentId: id.optional(),
  remarks: text().max(1000).optional(),
  attrs: jsonObject().optional(),
  lines: z.array(documentLineInput).max(5000).default([]),
});
export type CreateDocumentCommand = z.input<typeof createDocumentBody>;

export const updateDocumentBody = z.object({
  /** Optimistic lock: the version the editor loaded. */
  version: z.number().int().positive(),
  warehouseId: id.optional(),
  businessDate: isoDate.optional(),
  counterpartyOrgId: id.nullable().optional(),
  partnerId: id.nullable().optional(),
  remarks: text().max(1000).nullable().optional(),
  attrs: jsonObject().optional(),
  lines: z.array(documentLineInput).max(5000).optional(),
});
export type UpdateDocumentCommand = z.input<typeof updateDocumentBody>;

export const transitionBody = z.object({
  action: z.enum(DOC_ACTIONS),
  comment: text().trim().max(1000).optional(),
});
export type TransitionCommand = z.infer<typeof transitionBody>;

export const lineDecisionBody = z.object({
  decisions: z
    .array(z.object({ lineId: id, decision: z.enum(['approved', 'rejected']), comment: text().max(500).optional() }))
    .min(1),
});

export const voidLinesBody = z.object({ lineIds: z.array(id).min(1) });

export const documentListQuery = pageQuery.extend({
  docType: text().max(40).optional(),
  orgId: id.optional(),
  status: z.enum(DOC_STATUSES).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  partnerId: id.optional(),
});
export type DocumentListQuery = z.infer<typeof documentListQuery>;
