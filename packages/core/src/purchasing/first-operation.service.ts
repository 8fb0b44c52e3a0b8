import {
  type CreateFirstOperationCommand,
  createFirstOperationBody,
  DomainError,
  type FirstOperationAttrs,
  fieldIssuesFromZod,
  firstOperationAttrs,
  firstOperationKindLabels,
} from '@erp/contracts';
import { recordAudit } from '../audit/audit.service.js';
import { createProduct } from '../catalog/index.js';
import { createDocument, type DocumentWithLines, getDocument, registerDocType, transition } from '../documents/index.js';
import { createPartner } from '../partners/index.js';
import type { Ctx } from '../platform/context.js';
import { actingFor, assertHqActorFor, companyId, orgFacts } from './purchasing.access.js';
import { loadPurchasingSettings } from './purchasing.settings.js';

/**
 * MD-5 首营申请: a store HQ lets buy for itself asks HQ for a product, supplier or manufacturer it needs
 * (seed 10050–10052). The proposed master data sits in the document's attrs; approval by HQ creates the
 * record through the master-data services and links it to the application.
 */

function parseApplication(doc: DocumentWithLines): FirstOperationAttrs {
  const r = firstOperationAttrs.safeParse(doc.attrs ?? {});
  if (r.success) return r.data;
  const issues = fieldIssuesFromZod(r.error, { schema: firstOperationAttrs, input: doc.attrs ?? {}, prefix: 'attrs' });
  throw new DomainError('VALIDATION_FAILED', {}, issues);
}

async function existing(ctx: Ctx, a: FirstOperationAttrs): Promise<number | null> {
  if (a.kind === 'product') {
    const p = await ctx.db.selectFrom('product').select('id').where('code', '=', a.proposal.code).executeTakeFirst();
    return p?.id ?? null;
  }
  const p = await ctx.db
    .selectFrom('partner')
    .select('id')
    .where('kind', '=', a.kind)
    .where('code', '=', a.proposal.code)
    .executeTakeFirst();
  return p?.id ?? null;
}

async function checkApplication(ctx: Ctx, doc: DocumentWithLines): Promise<FirstOperationAttrs> {
  const org = await orgFacts(ctx.db, doc.orgId);
  if (org.kind !== 'store') throw new DomainError('ORG_NOT_A_STORE', { org: `${org.code} ${org.name}` });
  const { effective } = await loadPurchasingSettings(ctx.db, doc.orgId);
  if (!effective.selfPurchaseAllowed) throw new DomainError('PUR_SELF_PURCHASE_NOT_ALLOWED', { org: `${org.code} ${org.name}` });
  const a = parseApplication(doc);
  if ((await existing(ctx, a)) !== null) {
    throw new DomainError('PUR_FIRST_OP_EXISTS', { kind: firstOperationKindLabels[a.kind].zh, code: a.proposal.code });
  }
  return a;
}

/**
 * Creates the master record of an approved application. The approver's HQ approval is the authority for
 * this one record, so it is created with the master-data grant for it and the company in scope, in the
 * approver's name (the master-data audit names them).
 */
async function createMasterRecord(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  const org = await orgFacts(ctx.db, doc.orgId);
  await assertHqActorFor(ctx, org.path, 'first-operation approval / 首营审批');
  if (doc.approvedBy === null) throw new DomainError('PUR_FIRST_OP_NOT_APPROVED', { number: doc.number });
  const a = await checkApplication(ctx, doc);
  const root = await companyId(ctx.db);
  let productId: number | null = null;
  let partnerId: number | null = null;
  if (a.kind === 'product') {
    const grants = ['product:create', ...(a.proposal.prices ? ['price:edit'] : [])];
    productId = (await createProduct(actingFor(ctx, grants, [root]), a.proposal)).id;
  } else {
    partnerId = (await createPartner(actingFor(ctx, [`${a.kind}:create`], [root]), a.kind, a.proposal)).id;
  }
  await ctx.db
    .insertInto('first_operation_result')
    .values({
      document_id: doc.id,
      kind: a.kind,
      product_id: productId,
      partner_id: partnerId,
      created: true,
      decided_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
    })
    .execute();
  await recordAudit(ctx, {
    action: 'first_operation.create_master',
    entity: 'document',
    entityId: doc.id,
    after: { kind: a.kind, productId, partnerId, code: a.proposal.code },
    detail: { number: doc.number },
    orgId: doc.orgId,
  });
}

registerDocType({
  type: 'first_operation',
  // An application is nothing until HQ approves it; an org configuration cannot waive that (see onConfirm).
  defaults: { needsApproval: true, autoPost: false },
  ownLines: true,
  validate: async (ctx, doc) => {
    await checkApplication(ctx, doc);
  },
  beforeSubmit: async (ctx, doc) => {
    await checkApplication(ctx, doc);
  },
  onConfirm: createMasterRecord,
});

export async function createFirstOperation(ctx: Ctx, input: CreateFirstOperationCommand): Promise<DocumentWithLines> {
  const cmd = createFirstOperationBody.parse(input);
  return createDocument(ctx, {
    docType: 'first_operation',
    orgId: cmd.orgId,
    ...(cmd.remarks ? { remarks: cmd.remarks } : {}),
    attrs: { kind: cmd.kind, proposal: cmd.proposal, ...(cmd.reason ? { reason: cmd.reason } : {}) },
  });
}

export interface FirstOperationDetail extends DocumentWithLines {
  result: { kind: string; productId: number | null; partnerId: number | null; decidedAt: Date } | null;
}

export async function getFirstOperation(ctx: Ctx, id: number): Promise<FirstOperationDetail> {
  const doc = await getDocument(ctx, id);
  if (doc.docType !== 'first_operation') throw new DomainError('NOT_FOUND', { entity: 'first_operation', id });
  const r = await ctx.db.selectFrom('first_operation_result').selectAll().where('document_id', '=', id).executeTakeFirst();
  return {
    ...doc,
    result: r ? { kind: r.kind, productId: r.product_id, partnerId: r.partner_id, decidedAt: r.decided_at } : null,
  };
}

/**
 * HQ's decision on an application (finance or an HQ role holding doc.first_operation:approve): approval
 * confirms it at once, which creates the master record; a rejection needs a comment.
 */
export async function decideFirstOperation(
  ctx: Ctx,
  id: number,
  decision: { decision: 'approve' | 'reject'; comment?: string | undefined },
): Promise<FirstOperationDetail> {
  const doc = await getFirstOperation(ctx, id);
  const org = await orgFacts(ctx.db, doc.orgId);
  await assertHqActorFor(ctx, org.path, 'first-operation approval / 首营审批');
  if (decision.decision === 'reject') {
    await transition(ctx, id, 'reject', { comment: decision.comment });
  } else {
    await transition(ctx, id, 'approve', { comment: decision.comment });
    // Confirming is part of HQ's approval, not a separate grant the approver must hold.
    await transition(actingFor(ctx, ['doc.first_operation:confirm']), id, 'confirm');
  }
  return getFirstOperation(ctx, id);
}
