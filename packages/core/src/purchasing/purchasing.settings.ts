import { type PurchasingSettingsCommand, purchasingSettingsBody } from '@erp/contracts';
import type { DB, Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { ancestorIds } from '../org/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { assertHqActorFor, orgFacts } from './purchasing.access.js';
import type { OwnPurchasingSettings, PurchasingSettings } from './purchasing.models.js';
import { effectiveSettings } from './purchasing.rules.js';

export interface PurchasingSettingsDto {
  orgId: number;
  /** What this org sets itself (null = inherited). */
  own: OwnPurchasingSettings;
  /** What applies at this org. */
  effective: PurchasingSettings;
}

const NONE: OwnPurchasingSettings = { requirePurchaseOrder: null, overReceiptTolerancePct: null, selfPurchaseAllowed: null };

/** Own and effective settings of an org, from one read of the org's chain. */
export async function loadPurchasingSettings(db: Transaction<DB>, orgId: number): Promise<PurchasingSettingsDto> {
  const org = await orgFacts(db, orgId);
  const chain = ancestorIds(org.path);
  const rows = await db.selectFrom('purchasing_setting').selectAll().where('org_id', 'in', chain).execute();
  const byOrg = new Map(
    rows.map((r) => [
      r.org_id,
      {
        requirePurchaseOrder: r.require_purchase_order,
        overReceiptTolerancePct: r.over_receipt_tolerance_pct === null ? null : String(r.over_receipt_tolerance_pct),
        selfPurchaseAllowed: r.self_purchase_allowed,
      } satisfies OwnPurchasingSettings,
    ]),
  );
  const ordered = chain.map((id) => byOrg.get(id) ?? NONE);
  return { orgId, own: byOrg.get(orgId) ?? NONE, effective: effectiveSettings(ordered, org.kind) };
}

export async function getPurchasingSettings(ctx: Ctx, orgId: number): Promise<PurchasingSettingsDto> {
  authorize(ctx, 'purchasing_settings', 'view');
  ctx.scope.assert(orgId, 'org', orgId);
  return loadPurchasingSettings(ctx.db, orgId);
}

/**
 * Sets an org's purchasing settings (HQ controls them: the self-purchase right, whether receipts need an
 * order, the over-receipt tolerance). Omitted fields keep their value; null returns a field to inheritance.
 */
export async function updatePurchasingSettings(
  ctx: Ctx,
  orgId: number,
  input: PurchasingSettingsCommand,
): Promise<PurchasingSettingsDto> {
  authorize(ctx, 'purchasing_settings', 'edit');
  ctx.scope.assert(orgId, 'org', orgId);
  const cmd = purchasingSettingsBody.parse(input);
  const org = await orgFacts(ctx.db, orgId);
  await assertHqActorFor(ctx, org.path, 'purchasing settings / 采购参数');
  const before = await loadPurchasingSettings(ctx.db, orgId);
  const own: OwnPurchasingSettings = {
    requirePurchaseOrder: cmd.requirePurchaseOrder !== undefined ? cmd.requirePurchaseOrder : before.own.requirePurchaseOrder,
    overReceiptTolerancePct:
      cmd.overReceiptTolerancePct !== undefined ? cmd.overReceiptTolerancePct : before.own.overReceiptTolerancePct,
    selfPurchaseAllowed: cmd.selfPurchaseAllowed !== undefined ? cmd.selfPurchaseAllowed : before.own.selfPurchaseAllowed,
  };
  const values = {
    require_purchase_order: own.requirePurchaseOrder,
    over_receipt_tolerance_pct: own.overReceiptTolerancePct,
    self_purchase_allowed: own.selfPurchaseAllowed,
    updated_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
    updated_at: new Date(),
  };
  await ctx.db
    .insertInto('purchasing_setting')
    .values({ org_id: orgId, ...values })
    .onConflict((oc) => oc.column('org_id').doUpdateSet(values))
    .execute();
  const after = await loadPurchasingSettings(ctx.db, orgId);
  await recordAudit(ctx, { action: 'update', entity: 'purchasing_setting', entityId: orgId, before, after, orgId });
  return after;
}
