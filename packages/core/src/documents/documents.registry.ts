import { type DocStatus, type DocType, type DocumentDetails, DomainError } from '@erp/contracts';
import type { Ctx } from '../platform/context.js';
import type { DocumentWithLines } from './documents.models.js';

/**
 * What a document type adds to the one lifecycle. The engine owns states, permissions, numbering and
 * audit; a type only says what its lines must satisfy and what confirming/posting/rolling back means.
 */
export interface DocTypeHandler {
  type: DocType;
  /** Used when no org in the document's org path has a configuration row. */
  defaults: { needsApproval: boolean; autoPost: boolean };
  /** Lines are approved one by one (line-level approval). */
  lineApproval?: boolean;
  /**
   * The type keeps its lines in its own tables (a stocktake's count lines can run to tens of thousands), so
   * the engine does not require document lines on submit; the type's beforeSubmit checks its own.
   */
  ownLines?: boolean;
  /** Rollback (回退) is allowed from these states, back to `to`. */
  rollback?: { from: readonly DocStatus[]; to: DocStatus };
  /** Checks a draft's content on create and update (products, warehouses, quantities). */
  validate?(ctx: Ctx, doc: DocumentWithLines): Promise<void>;
  /** Checks before leaving draft (submit/confirm). */
  beforeSubmit?(ctx: Ctx, doc: DocumentWithLines): Promise<void>;
  onConfirm?(ctx: Ctx, doc: DocumentWithLines): Promise<void>;
  /** Posting (记账): moves stock through postStockMoves. Types without it cannot be posted. */
  onPost?(ctx: Ctx, doc: DocumentWithLines): Promise<void>;
  onComplete?(ctx: Ctx, doc: DocumentWithLines): Promise<void>;
  onVoid?(ctx: Ctx, doc: DocumentWithLines): Promise<void>;
  onRollback?(ctx: Ctx, doc: DocumentWithLines, from: DocStatus): Promise<void>;
  /** What the generic document view shows beyond header and lines (a price change's old → new prices). */
  describe?(ctx: Ctx, doc: DocumentWithLines): Promise<DocumentDetails>;
}

const handlers = new Map<string, DocTypeHandler>();

export function registerDocType(handler: DocTypeHandler): void {
  handlers.set(handler.type, handler);
}

export function docTypeHandler(type: string): DocTypeHandler {
  const h = handlers.get(type);
  if (!h) throw new DomainError('DOC_TYPE_UNKNOWN', { docType: type });
  return h;
}

export function registeredDocTypes(): DocTypeHandler[] {
  return [...handlers.values()];
}
