import {
  type Action,
  type CreateDocumentCommand,
  createDocumentBody,
  type DocAction,
  type DocStatus,
  type DocType,
  type DocumentDetails,
  type DocumentLineInput,
  type DocumentListQuery,
  DomainError,
  dec,
  docActionLabels,
  docStatusLabels,
  docTypes,
  type FunctionCode,
  money,
  qty as qtyStr,
  sum,
  type UpdateDocumentCommand,
  updateDocumentBody,
} from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { currentBusinessDay, isDayClosed } from '../org/business-day.service.js';
import { ancestorIds } from '../org/org.repository.js';
import { authorize, type Ctx } from '../platform/context.js';
import { type DocumentWithLines, effectiveLines } from './documents.models.js';
import { type DocTypeHandler, docTypeHandler } from './documents.registry.js';
import { loadDocument, nextSequence, toHeader } from './documents.repository.js';

const fn = (type: string) => `doc.${type}` as FunctionCode;

const actionGrant: Record<DocAction, Action> = {
  submit: 'submit',
  approve: 'approve',
  reject: 'approve',
  confirm: 'confirm',
  post: 'post',
  complete: 'complete',
  void: 'void',
  rollback: 'rollback',
};

const EDITABLE: readonly DocStatus[] = ['draft', 'rejected'];
const VOIDABLE: readonly DocStatus[] = ['draft', 'pending_approval', 'approved', 'rejected', 'confirmed'];

export interface DocTypeConfig {
  needsApproval: boolean;
  autoPost: boolean;
}

/** The configuration for a type at an org: the closest org up the tree with a row, else the type's defaults. */
export async function resolveDocConfig(ctx: Ctx, docType: DocType, orgId: number): Promise<DocTypeConfig> {
  const handler = docTypeHandler(docType);
  const org = await ctx.db.selectFrom('org').select('path').where('id', '=', orgId).executeTakeFirstOrThrow();
  const chain = ancestorIds(org.path);
  const rows = await ctx.db
    .selectFrom('doc_type_config')
    .selectAll()
    .where('doc_type', '=', docType)
    .where('org_id', 'in', chain)
    .execute();
  let best: (typeof rows)[number] | undefined;
  for (const r of rows) if (!best || chain.indexOf(r.org_id) > chain.indexOf(best.org_id)) best = r;
  return best ? { needsApproval: best.needs_approval, autoPost: best.auto_post } : handler.defaults;
}

export async function setDocConfig(
  ctx: Ctx,
  cmd: { orgId: number; docType: string; needsApproval: boolean; autoPost: boolean },
): Promise<DocTypeConfig> {
  authorize(ctx, 'doc_config', 'edit');
  docTypeHandler(cmd.docType);
  ctx.scope.assert(cmd.orgId, 'org', cmd.orgId);
  const before = await resolveDocConfig(ctx, cmd.docType as DocType, cmd.orgId);
  await ctx.db
    .insertInto('doc_type_config')
    .values({ doc_type: cmd.docType, org_id: cmd.orgId, needs_approval: cmd.needsApproval, auto_post: cmd.autoPost })
    .onConflict((oc) =>
      oc.columns(['doc_type', 'org_id']).doUpdateSet({ needs_approval: cmd.needsApproval, auto_post: cmd.autoPost }),
    )
    .execute();
  const after = { needsApproval: cmd.needsApproval, autoPost: cmd.autoPost };
  await recordAudit(ctx, {
    action: 'update',
    entity: 'doc_type_config',
    entityId: `${cmd.docType}@${cmd.orgId}`,
    before,
    after,
    orgId: cmd.orgId,
  });
  return after;
}

/** A document the actor may see; NOT_FOUND for other orgs' documents (AUTH-2). */
async function visibleDocument(ctx: Ctx, id: number, forUpdate = false): Promise<DocumentWithLines> {
  const doc = await loadDocument(ctx.db, id, { forUpdate });
  if (!doc || !ctx.scope.has(doc.orgId)) throw new DomainError('NOT_FOUND', { entity: 'document', id });
  return doc;
}

export async function getDocument(ctx: Ctx, id: number): Promise<DocumentWithLines> {
  const doc = await visibleDocument(ctx, id);
  authorize(ctx, fn(doc.docType), 'view');
  return doc;
}

/** What the document's type adds to the generic view (GET /api/documents/:id/details); null when nothing. */
export async function getDocumentDetails(ctx: Ctx, id: number): Promise<{ details: DocumentDetails | null }> {
  const doc = await getDocument(ctx, id);
  const describe = docTypeHandler(doc.docType).describe;
  return { details: describe ? await describe(ctx, doc) : null };
}

function lineValues(documentId: number, lines: DocumentLineInput[], headerWarehouseId: number | null) {
  return lines.map((l, i) => {
    const q = l.qty ?? '0';
    const price = l.unitPrice ?? '0';
    return {
      document_id: documentId,
      line_no: i + 1,
      product_id: l.productId ?? null,
      qty: qtyStr(q),
      unit_price: price,
      amount: l.amount ?? money(dec(q).times(price)),
      warehouse_id: l.warehouseId ?? headerWarehouseId,
      batch_no: l.batchNo ?? '',
      lot_no: l.lotNo ?? '',
      expiry_date: l.expiryDate ?? null,
      shelf_id: l.shelfId ?? null,
      stock_status: l.stockStatus ?? 'sellable',
      ref_line_id: l.refLineId ?? null,
      remarks: l.remarks ?? null,
      attrs: JSON.stringify(l.attrs ?? {}),
    };
  });
}

async function assertWarehouseOfOrg(ctx: Ctx, warehouseId: number | null | undefined, orgId: number): Promise<void> {
  if (warehouseId == null) return;
  const wh = await ctx.db.selectFrom('warehouse').select(['org_id']).where('id', '=', warehouseId).executeTakeFirst();
  if (!wh || wh.org_id !== orgId) throw new DomainError('NOT_FOUND', { entity: 'warehouse', id: warehouseId });
}

async function assertProductsExist(ctx: Ctx, lines: DocumentLineInput[]): Promise<void> {
  const ids = [...new Set(lines.map((l) => l.productId).filter((x): x is number => x !== undefined))];
  if (!ids.length) return;
  const found = await ctx.db.selectFrom('product').select('id').where('id', 'in', ids).execute();
  const have = new Set(found.map((r) => r.id));
  const missing = ids.find((i) => !have.has(i));
  if (missing !== undefined) throw new DomainError('NOT_FOUND', { entity: 'product', id: missing });
}

async function recomputeTotals(ctx: Ctx, id: number): Promise<void> {
  await sql`
    update document d set total_qty = coalesce(t.q, 0), total_amount = coalesce(t.a, 0)
      from (select sum(qty) as q, sum(amount) as a from document_line
             where document_id = ${id} and status = 'active' and approval_status is distinct from 'rejected') t
     where d.id = ${id}`.execute(ctx.db);
}

export async function createDocument(ctx: Ctx, input: CreateDocumentCommand): Promise<DocumentWithLines> {
  const cmd = createDocumentBody.parse(input);
  const handler = docTypeHandler(cmd.docType);
  authorize(ctx, fn(cmd.docType), 'create');
  ctx.scope.assert(cmd.orgId, 'org', cmd.orgId);
  if (cmd.counterpartyOrgId !== undefined) {
    const cp = await ctx.db.selectFrom('org').select('id').where('id', '=', cmd.counterpartyOrgId).executeTakeFirst();
    if (!cp) throw new DomainError('NOT_FOUND', { entity: 'org', id: cmd.counterpartyOrgId });
  }
  if (cmd.refDocumentId !== undefined) await visibleDocument(ctx, cmd.refDocumentId);
  await assertWarehouseOfOrg(ctx, cmd.warehouseId, cmd.orgId);
  await assertProductsExist(ctx, cmd.lines);
  const businessDate = cmd.businessDate ?? (await currentBusinessDay(ctx.db, cmd.orgId));
  if (await isDayClosed(ctx.db, cmd.orgId, businessDate)) throw new DomainError('BUSINESS_DAY_CLOSED', { day: businessDate });
  const org = await ctx.db.selectFrom('org').select('code').where('id', '=', cmd.orgId).executeTakeFirstOrThrow();
  const seq = await nextSequence(ctx.db, cmd.docType, cmd.orgId, businessDate);
  const type = docTypes[cmd.docType as DocType];
  const number = `${type.prefix}${org.code}-${businessDate.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
  const header = await ctx.db
    .insertInto('document')
    .values({
      doc_type: cmd.docType,
      org_id: cmd.orgId,
      number,
      status: 'draft',
      business_date: businessDate,
      warehouse_id: cmd.warehouseId ?? null,
      counterparty_org_id: cmd.counterpartyOrgId ?? null,
      partner_id: cmd.partnerId ?? null,
      ref_document_id: cmd.refDocumentId ?? null,
      remarks: cmd.remarks ?? null,
      attrs: JSON.stringify(cmd.attrs ?? {}),
      total_qty: '0',
      total_amount: '0',
      line_approval: handler.lineApproval ?? false,
      created_by: ctx.actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const l of cmd.lines) await assertWarehouseOfOrg(ctx, l.warehouseId, cmd.orgId);
  if (cmd.lines.length) {
    await ctx.db
      .insertInto('document_line')
      .values(lineValues(header.id, cmd.lines, cmd.warehouseId ?? null))
      .execute();
  }
  await recomputeTotals(ctx, header.id);
  const doc = (await loadDocument(ctx.db, header.id)) as DocumentWithLines;
  await handler.validate?.(ctx, doc);
  await recordAudit(ctx, { action: 'create', entity: 'document', entityId: doc.id, after: doc, orgId: doc.orgId });
  return doc;
}

export async function updateDocument(ctx: Ctx, id: number, input: UpdateDocumentCommand): Promise<DocumentWithLines> {
  const cmd = updateDocumentBody.parse(input);
  const before = await visibleDocument(ctx, id, true);
  const handler = docTypeHandler(before.docType);
  authorize(ctx, fn(before.docType), 'edit');
  if (!EDITABLE.includes(before.status)) {
    throw new DomainError('DOC_NOT_EDITABLE', { number: before.number, status: docStatusLabels[before.status].en });
  }
  if (cmd.version !== before.version) throw new DomainError('CONFLICT');
  await assertWarehouseOfOrg(ctx, cmd.warehouseId, before.orgId);
  if (cmd.businessDate && (await isDayClosed(ctx.db, before.orgId, cmd.businessDate))) {
    throw new DomainError('BUSINESS_DAY_CLOSED', { day: cmd.businessDate });
  }
  await ctx.db
    .updateTable('document')
    .set({
      ...(cmd.warehouseId !== undefined ? { warehouse_id: cmd.warehouseId } : {}),
      ...(cmd.businessDate !== undefined ? { business_date: cmd.businessDate } : {}),
      ...(cmd.counterpartyOrgId !== undefined ? { counterparty_org_id: cmd.counterpartyOrgId } : {}),
      ...(cmd.partnerId !== undefined ? { partner_id: cmd.partnerId } : {}),
      ...(cmd.remarks !== undefined ? { remarks: cmd.remarks } : {}),
      ...(cmd.attrs !== undefined ? { attrs: JSON.stringify(cmd.attrs) } : {}),
      updated_by: ctx.actor.userId,
      updated_at: new Date(),
      version: before.version + 1,
    })
    .where('id', '=', id)
    .execute();
  if (cmd.lines) {
    await assertProductsExist(ctx, cmd.lines);
    for (const l of cmd.lines) await assertWarehouseOfOrg(ctx, l.warehouseId, before.orgId);
    await ctx.db.deleteFrom('document_line').where('document_id', '=', id).execute();
    if (cmd.lines.length) {
      const wh = cmd.warehouseId ?? before.warehouseId;
      await ctx.db
        .insertInto('document_line')
        .values(lineValues(id, cmd.lines, wh))
        .execute();
    }
  }
  await recomputeTotals(ctx, id);
  const after = (await loadDocument(ctx.db, id)) as DocumentWithLines;
  await handler.validate?.(ctx, after);
  await recordAudit(ctx, { action: 'update', entity: 'document', entityId: id, before, after, orgId: after.orgId });
  return after;
}

type StatusStamp = Partial<{
  submitted_at: Date;
  approved_by: number;
  approved_at: Date;
  reject_comment: string | null;
  confirmed_by: number;
  confirmed_at: Date;
  posted_by: number;
  posted_at: Date;
  completed_at: Date;
  voided_by: number;
  voided_at: Date;
}>;

async function setStatus(
  ctx: Ctx,
  doc: DocumentWithLines,
  action: DocAction | 'auto_approve',
  to: DocStatus,
  stamp: StatusStamp,
  comment?: string,
): Promise<void> {
  const from = doc.status;
  await ctx.db
    .updateTable('document')
    .set({ status: to, ...stamp, updated_by: ctx.actor.userId, updated_at: new Date(), version: doc.version + 1 })
    .where('id', '=', doc.id)
    .execute();
  doc.status = to;
  doc.version += 1;
  await recordAudit(ctx, {
    action: `doc.${action}`,
    entity: 'document',
    entityId: doc.id,
    before: { status: from },
    after: { status: to },
    detail: { number: doc.number, docType: doc.docType, ...(comment ? { comment } : {}) },
    orgId: doc.orgId,
  });
}

function refuse(doc: DocumentWithLines, action: DocAction): DomainError {
  return new DomainError('DOC_INVALID_TRANSITION', {
    number: doc.number,
    status: docStatusLabels[doc.status].en,
    action: docActionLabels[action].en,
  });
}

function assertHasLines(doc: DocumentWithLines): void {
  if (effectiveLines(doc).length === 0) throw new DomainError('DOC_NO_LINES');
}

async function submit(ctx: Ctx, doc: DocumentWithLines, handler: DocTypeHandler, config: DocTypeConfig) {
  if (!handler.ownLines) assertHasLines(doc);
  await handler.beforeSubmit?.(ctx, doc);
  if (doc.lineApproval) {
    await ctx.db
      .updateTable('document_line')
      .set({ approval_status: 'pending', approval_comment: null })
      .where('document_id', '=', doc.id)
      .where('status', '=', 'active')
      .execute();
    for (const l of doc.lines) if (l.status === 'active') l.approvalStatus = 'pending';
  }
  if (config.needsApproval) {
    await setStatus(ctx, doc, 'submit', 'pending_approval', { submitted_at: new Date(), reject_comment: null });
  } else {
    await setStatus(ctx, doc, 'auto_approve', 'approved', { submitted_at: new Date(), reject_comment: null });
  }
}

async function post(ctx: Ctx, doc: DocumentWithLines, handler: DocTypeHandler) {
  if (!handler.onPost) throw refuse(doc, 'post');
  if (await isDayClosed(ctx.db, doc.orgId, doc.businessDate)) {
    throw new DomainError('BUSINESS_DAY_CLOSED', { day: doc.businessDate });
  }
  await handler.onPost(ctx, doc);
  await setStatus(ctx, doc, 'post', 'posted', { posted_by: ctx.actor.userId, posted_at: new Date() });
}

/**
 * Moves a document through the lifecycle (SPEC DOC). Every transition is checked against the state
 * machine and the actor's grant for the type, runs the type's hook and is audited, all in the caller's
 * transaction; the document row is locked first, so two people posting at once post once.
 */
export async function transition(
  ctx: Ctx,
  id: number,
  action: DocAction,
  opts: { comment?: string } = {},
): Promise<DocumentWithLines> {
  const doc = await visibleDocument(ctx, id, true);
  const handler = docTypeHandler(doc.docType);
  authorize(ctx, fn(doc.docType), actionGrant[action]);
  const config = await resolveDocConfig(ctx, doc.docType, doc.orgId);
  const stockEffect = docTypes[doc.docType].stockEffect;

  switch (action) {
    case 'submit': {
      if (!EDITABLE.includes(doc.status)) throw refuse(doc, action);
      await submit(ctx, doc, handler, config);
      break;
    }
    case 'approve': {
      if (doc.status !== 'pending_approval') throw refuse(doc, action);
      if (doc.lineApproval) {
        const pending = doc.lines.filter((l) => l.status === 'active' && l.approvalStatus === 'pending').length;
        if (pending) throw new DomainError('DOC_LINES_NOT_APPROVED', { count: pending });
        assertHasLines(doc);
      }
      await setStatus(ctx, doc, 'approve', 'approved', { approved_by: ctx.actor.userId, approved_at: new Date() }, opts.comment);
      break;
    }
    case 'reject': {
      if (doc.status !== 'pending_approval') throw refuse(doc, action);
      if (!opts.comment?.trim()) throw new DomainError('DOC_REJECT_COMMENT_REQUIRED');
      await setStatus(ctx, doc, 'reject', 'rejected', { reject_comment: opts.comment.trim() }, opts.comment);
      break;
    }
    case 'confirm': {
      // Without approval configured, confirm goes straight from draft: submit (auto-approved) then confirm.
      if (EDITABLE.includes(doc.status) && !config.needsApproval) await submit(ctx, doc, handler, config);
      if (doc.status !== 'approved') throw refuse(doc, action);
      await handler.onConfirm?.(ctx, doc);
      await setStatus(ctx, doc, 'confirm', 'confirmed', { confirmed_by: ctx.actor.userId, confirmed_at: new Date() });
      if (stockEffect && config.autoPost && handler.onPost) await post(ctx, doc, handler);
      break;
    }
    case 'post': {
      if (doc.status !== 'confirmed') throw refuse(doc, action);
      await post(ctx, doc, handler);
      break;
    }
    case 'complete': {
      const from: DocStatus[] = handler.onPost ? ['posted'] : ['confirmed', 'posted'];
      if (!from.includes(doc.status)) throw refuse(doc, action);
      await handler.onComplete?.(ctx, doc);
      await setStatus(ctx, doc, 'complete', 'completed', { completed_at: new Date() });
      break;
    }
    case 'void': {
      if (doc.status === 'posted' || doc.status === 'completed') {
        throw new DomainError('DOC_VOID_POSTED', { number: doc.number });
      }
      if (!VOIDABLE.includes(doc.status)) throw refuse(doc, action);
      await handler.onVoid?.(ctx, doc);
      await setStatus(ctx, doc, 'void', 'void', { voided_by: ctx.actor.userId, voided_at: new Date() }, opts.comment);
      break;
    }
    case 'rollback': {
      if (!handler.rollback) throw new DomainError('DOC_ROLLBACK_NOT_ALLOWED', { docType: docTypes[doc.docType].en });
      if (!handler.rollback.from.includes(doc.status)) throw refuse(doc, action);
      const from = doc.status;
      await handler.onRollback?.(ctx, doc, from);
      await setStatus(ctx, doc, 'rollback', handler.rollback.to, {}, opts.comment);
      break;
    }
  }
  return (await loadDocument(ctx.db, id)) as DocumentWithLines;
}

/** Line-level approval: decide lines of a document waiting for approval. */
export async function decideLines(
  ctx: Ctx,
  id: number,
  decisions: { lineId: number; decision: 'approved' | 'rejected'; comment?: string | undefined }[],
): Promise<DocumentWithLines> {
  const doc = await visibleDocument(ctx, id, true);
  authorize(ctx, fn(doc.docType), 'approve');
  if (!doc.lineApproval || doc.status !== 'pending_approval') throw refuse(doc, 'approve');
  for (const d of decisions) {
    const line = doc.lines.find((l) => l.id === d.lineId && l.status === 'active');
    if (!line) throw new DomainError('DOC_LINE_NOT_FOUND', { lineId: d.lineId });
    if (d.decision === 'rejected' && !d.comment?.trim()) throw new DomainError('DOC_REJECT_COMMENT_REQUIRED');
    await ctx.db
      .updateTable('document_line')
      .set({ approval_status: d.decision, approval_comment: d.comment ?? null })
      .where('id', '=', d.lineId)
      .execute();
  }
  await recomputeTotals(ctx, id);
  await recordAudit(ctx, {
    action: 'doc.decide_lines',
    entity: 'document',
    entityId: id,
    detail: { decisions },
    orgId: doc.orgId,
  });
  return (await loadDocument(ctx.db, id)) as DocumentWithLines;
}

/** Line-level void, allowed until the document is posted. */
export async function voidLines(ctx: Ctx, id: number, lineIds: number[]): Promise<DocumentWithLines> {
  const doc = await visibleDocument(ctx, id, true);
  authorize(ctx, fn(doc.docType), 'void');
  if (doc.status === 'posted' || doc.status === 'completed') throw new DomainError('DOC_VOID_POSTED', { number: doc.number });
  if (!VOIDABLE.includes(doc.status)) throw refuse(doc, 'void');
  for (const lineId of lineIds) {
    if (!doc.lines.some((l) => l.id === lineId && l.status === 'active')) throw new DomainError('DOC_LINE_NOT_FOUND', { lineId });
  }
  await ctx.db
    .updateTable('document_line')
    .set({ status: 'void' })
    .where('id', 'in', lineIds)
    .where('document_id', '=', id)
    .execute();
  await recomputeTotals(ctx, id);
  await recordAudit(ctx, { action: 'doc.void_lines', entity: 'document', entityId: id, detail: { lineIds }, orgId: doc.orgId });
  return (await loadDocument(ctx.db, id)) as DocumentWithLines;
}

export async function listDocuments(ctx: Ctx, q: DocumentListQuery) {
  if (q.docType) {
    docTypeHandler(q.docType);
    authorize(ctx, fn(q.docType), 'view');
  }
  const viewable = Object.keys(docTypes).filter((t) => ctx.actor.grants.has(`doc.${t}:view`));
  if (q.orgId !== undefined) ctx.scope.assert(q.orgId, 'org', q.orgId);
  let query = ctx.db
    .selectFrom('document as d')
    .innerJoin('org as o', 'o.id', 'd.org_id')
    .where('d.org_id', 'in', q.orgId !== undefined ? [q.orgId] : [...ctx.scope.ids, -1])
    .where('d.doc_type', 'in', q.docType ? [q.docType] : [...viewable, '-']);
  if (q.status) query = query.where('d.status', '=', q.status);
  if (q.from) query = query.where('d.business_date', '>=', q.from);
  if (q.to) query = query.where('d.business_date', '<=', q.to);
  if (q.partnerId) query = query.where('d.partner_id', '=', q.partnerId);
  if (q.q) query = query.where('d.number', 'ilike', `%${q.q}%`);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const sortable = {
    number: 'd.number',
    businessDate: 'd.business_date',
    createdAt: 'd.created_at',
    totalAmount: 'd.total_amount',
  } as const;
  const sortCol = sortable[(q.sort ?? 'createdAt') as keyof typeof sortable] ?? 'd.created_at';
  const rows = await query
    .selectAll('d')
    .select(['o.name as org_name', 'o.code as org_code'])
    .orderBy(sortCol, q.sort ? q.order : 'desc')
    .orderBy('d.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({ ...toHeader(r), orgName: r.org_name, orgCode: r.org_code })),
    total: Number(total),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Totals of a document's effective lines, for handlers that need them. */
export function documentTotal(doc: DocumentWithLines): string {
  return money(sum(effectiveLines(doc).map((l) => l.amount)));
}
