import { type DocAction, isDomainError } from '@erp/contracts';
import { asSystem, asUser, expectLedgerMatchesBalances, expectRefusal, useTestChain } from '@erp/test-kit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../platform/context.js';
import { docTypeHandler, registerDocType } from './documents.registry.js';
import {
  createDocument,
  decideLines,
  getDocument,
  listDocuments,
  setDocConfig,
  transition,
  updateDocument,
  voidLines,
} from './documents.service.js';

const { database, chain } = useTestChain();

const admin = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.hqAdmin, fn);
const storeAdmin = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.storeAAdmin, fn);
const cashier = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.storeACashier, fn);

async function draft(orgId = chain.storeA.id, warehouseId = chain.storeA.warehouseId, qty = '10') {
  return admin((ctx) =>
    createDocument(ctx, {
      docType: 'other_inbound',
      orgId,
      warehouseId,
      lines: [
        { productId: chain.products.apple, qty, unitPrice: '3.20' },
        { productId: chain.products.milk, qty: '4', unitPrice: '2.50' },
      ],
    }),
  );
}

const act = (id: number, action: DocAction, comment?: string) => admin((ctx) => transition(ctx, id, action, { comment }));

async function configure(needsApproval: boolean, autoPost: boolean, orgId = chain.storeA.id) {
  await admin((ctx) => setDocConfig(ctx, { orgId, docType: 'other_inbound', needsApproval, autoPost }));
}

async function auditActions(docId: number): Promise<string[]> {
  const rows = await database()
    .db.selectFrom('audit_log')
    .select('action')
    .where('entity', '=', 'document')
    .where('entity_id', '=', String(docId))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('document engine', () => {
  it('creates a draft numbered per type, org and day, with totals', async () => {
    const a = await draft();
    const b = await draft();
    const c = await draft(chain.storeB.id, chain.storeB.warehouseId);
    expect(a.status).toBe('draft');
    expect(a.number).toMatch(/^OISA-\d{8}-0001$/);
    expect(b.number).toMatch(/-0002$/);
    expect(c.number).toMatch(/^OISB-\d{8}-0001$/);
    expect(a.totalQty).toBe('14.000');
    expect(a.totalAmount).toBe('42.00');
    expect(a.lines.map((l) => l.amount)).toEqual(['32.00', '10.00']);
  });

  it('edits a draft under an optimistic lock and audits before/after', async () => {
    const d = await draft();
    await expectRefusal(
      admin((ctx) => updateDocument(ctx, d.id, { version: d.version + 5, remarks: 'x' })),
      'CONFLICT',
    );
    const e = await admin((ctx) =>
      updateDocument(ctx, d.id, {
        version: d.version,
        remarks: '改数量',
        lines: [{ productId: chain.products.apple, qty: '2', unitPrice: '3' }],
      }),
    );
    expect(e.version).toBe(d.version + 1);
    expect(e.lines).toHaveLength(1);
    expect(e.totalAmount).toBe('6.00');
    const log = await database()
      .db.selectFrom('audit_log')
      .select(['before', 'after'])
      .where('entity', '=', 'document')
      .where('entity_id', '=', String(d.id))
      .where('action', '=', 'update')
      .executeTakeFirstOrThrow();
    expect((log.before as { remarks: string | null }).remarks).toBeNull();
    expect((log.after as { remarks: string }).remarks).toBe('改数量');
  });

  it('with approval: submit → approve → confirm → auto-post moves stock; every step audited', async () => {
    await configure(true, true);
    const d = await draft();
    expect((await act(d.id, 'submit')).status).toBe('pending_approval');
    expect((await act(d.id, 'approve')).status).toBe('approved');
    const posted = await act(d.id, 'confirm');
    expect(posted.status).toBe('posted');
    const ledger = await database().db.selectFrom('stock_ledger').selectAll().where('source_id', '=', d.id).execute();
    expect(ledger.map((l) => l.qty).sort()).toEqual(['10.000', '4.000']);
    expect(await auditActions(d.id)).toEqual(['create', 'doc.submit', 'doc.approve', 'doc.confirm', 'doc.post']);
    await expectLedgerMatchesBalances(database());
  });

  it('refuses approval without the approve grant', async () => {
    await configure(true, true);
    const d = await draft();
    await act(d.id, 'submit');
    // The cashier holds no document grants at all; the store keeper role lacks approve.
    await expectRefusal(
      cashier((ctx) => transition(ctx, d.id, 'approve')),
      'FORBIDDEN',
    );
    const keeper = await asSystem(database().db, async (ctx) => {
      const { createUser, findRoleByCode } = await import('../auth/user.service.js');
      const role = await findRoleByCode(ctx, 'store_keeper');
      return createUser(ctx, {
        login: 'sa_keeper',
        name: '保管员',
        orgId: chain.storeA.id,
        password: 'Keeper12345',
        roles: [{ roleId: role.id, orgId: chain.storeA.id }],
      });
    });
    await expectRefusal(
      asUser(database(), keeper.id, (ctx) => transition(ctx, d.id, 'approve')),
      'FORBIDDEN',
    );
    const unchanged = await admin((ctx) => getDocument(ctx, d.id));
    expect(unchanged.status).toBe('pending_approval');
  });

  it('a rejection needs a comment; a rejected document can be edited and resubmitted', async () => {
    await configure(true, true);
    const d = await draft();
    await act(d.id, 'submit');
    await expectRefusal(act(d.id, 'reject', '  '), 'DOC_REJECT_COMMENT_REQUIRED');
    const rejected = await act(d.id, 'reject', '数量有误');
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejectComment).toBe('数量有误');
    const edited = await admin((ctx) => updateDocument(ctx, d.id, { version: rejected.version, remarks: '已改' }));
    expect((await act(edited.id, 'submit')).status).toBe('pending_approval');
  });

  it('refuses to void a posted document, and voids before posting', async () => {
    await configure(false, true);
    const d = await draft();
    await act(d.id, 'confirm');
    await expectRefusal(act(d.id, 'void'), 'DOC_VOID_POSTED');
    const other = await draft();
    expect((await act(other.id, 'void')).status).toBe('void');
    await expectRefusal(act(other.id, 'void'), 'DOC_INVALID_TRANSITION');
    await expectRefusal(
      admin((ctx) => updateDocument(ctx, other.id, { version: 99, remarks: 'x' })),
      'DOC_NOT_EDITABLE',
    );
  });

  it('posts once: a second post is refused, and two concurrent posts post once', async () => {
    await configure(false, false);
    const d = await draft();
    expect((await act(d.id, 'confirm')).status).toBe('confirmed');
    const results = await Promise.allSettled([act(d.id, 'post'), act(d.id, 'post')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isDomainError(failed.reason, 'DOC_INVALID_TRANSITION')).toBe(true);
    await expectRefusal(act(d.id, 'post'), 'DOC_INVALID_TRANSITION');
    const rows = await database().db.selectFrom('stock_ledger').select('id').where('source_id', '=', d.id).execute();
    expect(rows).toHaveLength(2);
    await expectLedgerMatchesBalances(database());
  });

  it('with auto-post off, confirmed documents wait for the inbound review and post there', async () => {
    await configure(false, false);
    const d = await draft();
    await act(d.id, 'confirm');
    const queue = await admin((ctx) =>
      listDocuments(ctx, { docType: 'other_inbound', status: 'confirmed', page: 1, pageSize: 100, order: 'asc' }),
    );
    expect(queue.items.map((x) => x.id)).toContain(d.id);
    expect((await act(d.id, 'post')).status).toBe('posted');
    expect((await act(d.id, 'complete')).status).toBe('completed');
    await expectRefusal(act(d.id, 'void'), 'DOC_VOID_POSTED');
  });

  it('refuses out-of-order transitions', async () => {
    await configure(true, true);
    const d = await draft();
    for (const action of ['approve', 'post', 'complete'] as const) {
      await expectRefusal(act(d.id, action), 'DOC_INVALID_TRANSITION');
    }
    // Approval is configured: confirm from draft must not skip it.
    await expectRefusal(act(d.id, 'confirm'), 'DOC_INVALID_TRANSITION');
  });

  it('rolls back a confirmed document to draft where the type allows it, never a posted one', async () => {
    await configure(false, false);
    const d = await draft();
    await act(d.id, 'confirm');
    expect((await act(d.id, 'rollback', '客户改单')).status).toBe('draft');
    await act(d.id, 'confirm');
    await act(d.id, 'post');
    await expectRefusal(act(d.id, 'rollback'), 'DOC_INVALID_TRANSITION');
  });

  it('refuses rollback for types that do not allow it', async () => {
    const original = docTypeHandler('other_inbound');
    registerDocType({ ...original, rollback: undefined });
    try {
      await configure(false, false);
      const d = await draft();
      await act(d.id, 'confirm');
      await expectRefusal(act(d.id, 'rollback'), 'DOC_ROLLBACK_NOT_ALLOWED');
    } finally {
      registerDocType(original);
    }
  });

  it('refuses to submit a document without active lines', async () => {
    const d = await admin((ctx) =>
      createDocument(ctx, { docType: 'other_inbound', orgId: chain.storeA.id, warehouseId: chain.storeA.warehouseId }),
    );
    await expectRefusal(act(d.id, 'submit'), 'DOC_NO_LINES');
  });

  it('voids lines before posting and leaves them out of totals and stock; refuses after posting', async () => {
    await configure(false, false);
    const d = await draft();
    const [first, second] = d.lines;
    const after = await admin((ctx) => voidLines(ctx, d.id, [second!.id]));
    expect(after.totalAmount).toBe('32.00');
    await act(d.id, 'confirm');
    await act(d.id, 'post');
    const rows = await database().db.selectFrom('stock_ledger').select('source_line_id').where('source_id', '=', d.id).execute();
    expect(rows.map((r) => r.source_line_id)).toEqual([first!.id]);
    await expectRefusal(
      admin((ctx) => voidLines(ctx, d.id, [first!.id])),
      'DOC_VOID_POSTED',
    );
  });

  describe('line-level approval', () => {
    const original = () => docTypeHandler('other_inbound');
    let saved: ReturnType<typeof original>;
    beforeAll(() => {
      saved = original();
      registerDocType({ ...saved, lineApproval: true });
    });
    afterEach(async () => {
      await configure(false, true);
    });

    it('approves line by line; rejected lines need a comment and are not posted', async () => {
      await configure(true, true);
      const d = await draft();
      const submitted = await act(d.id, 'submit');
      expect(submitted.lines.every((l) => l.approvalStatus === 'pending')).toBe(true);
      await expectRefusal(act(d.id, 'approve'), 'DOC_LINES_NOT_APPROVED');
      const [l1, l2] = d.lines;
      await expectRefusal(
        admin((ctx) => decideLines(ctx, d.id, [{ lineId: l2!.id, decision: 'rejected' }])),
        'DOC_REJECT_COMMENT_REQUIRED',
      );
      await admin((ctx) =>
        decideLines(ctx, d.id, [
          { lineId: l1!.id, decision: 'approved' },
          { lineId: l2!.id, decision: 'rejected', comment: '不收' },
        ]),
      );
      await act(d.id, 'approve');
      const posted = await act(d.id, 'confirm');
      expect(posted.status).toBe('posted');
      expect(posted.totalAmount).toBe('32.00');
      const rows = await database()
        .db.selectFrom('stock_ledger')
        .select('source_line_id')
        .where('source_id', '=', d.id)
        .execute();
      expect(rows.map((r) => r.source_line_id)).toEqual([l1!.id]);
      registerDocType(saved);
    });
  });

  it('applies configuration from the closest org up the tree', async () => {
    // HQ-wide: approval needed. Store A overrides: none. Store B inherits HQ.
    await admin((ctx) =>
      setDocConfig(ctx, { orgId: chain.hqId, docType: 'other_outbound', needsApproval: true, autoPost: true }),
    );
    await admin((ctx) =>
      setDocConfig(ctx, { orgId: chain.storeA.id, docType: 'other_outbound', needsApproval: false, autoPost: false }),
    );
    const { resolveDocConfig } = await import('./documents.service.js');
    expect(await admin((ctx) => resolveDocConfig(ctx, 'other_outbound', chain.storeA.id))).toEqual({
      needsApproval: false,
      autoPost: false,
    });
    expect(await admin((ctx) => resolveDocConfig(ctx, 'other_outbound', chain.storeB.id))).toEqual({
      needsApproval: true,
      autoPost: true,
    });
    expect(await admin((ctx) => resolveDocConfig(ctx, 'other_outbound', chain.dcId))).toEqual({
      needsApproval: true,
      autoPost: true,
    });
  });

  it('refuses documents on a closed business day', async () => {
    await database().db.insertInto('business_day').values({ org_id: chain.storeB.id, day: '2026-01-01' }).execute();
    await expectRefusal(
      admin((ctx) =>
        createDocument(ctx, { docType: 'other_inbound', orgId: chain.storeB.id, businessDate: '2026-01-01', lines: [] }),
      ),
      'BUSINESS_DAY_CLOSED',
    );
  });

  it('a store admin works on own store documents and cannot see another store’s', async () => {
    const mine = await storeAdmin((ctx) =>
      createDocument(ctx, {
        docType: 'other_outbound',
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        lines: [],
      }),
    );
    expect(mine.orgId).toBe(chain.storeA.id);
    const theirs = await draft(chain.storeB.id, chain.storeB.warehouseId);
    await expectRefusal(
      storeAdmin((ctx) => getDocument(ctx, theirs.id)),
      'NOT_FOUND',
    );
    const list = await storeAdmin((ctx) => listDocuments(ctx, { page: 1, pageSize: 500, order: 'asc' }));
    expect(list.items.every((x) => x.orgId === chain.storeA.id)).toBe(true);
  });
});
