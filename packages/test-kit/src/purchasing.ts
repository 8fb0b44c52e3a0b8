// Test factories of the purchasing module: build fixtures through the module's real services.
import {
  asSystem,
  type Ctx,
  createPartner,
  createPurchaseOrder,
  createUser,
  findRoleByCode,
  transition,
  updatePurchasingSettings,
} from '@erp/core';
import type { Database } from '@erp/db';
import { TEST_PASSWORD, type TestChain } from './chain.js';

export interface PurchasingUsers {
  /** 采购员, held at the company. */
  buyer: number;
  /** 财务, held at the company. */
  finance: number;
  /** 配送中心保管员 of the DC. */
  dcKeeper: number;
  /** 门店保管员 of store A. */
  storeAKeeper: number;
}

let userSeq = 0;

/** The purchasing roles as real users (logins pur_buyer, pur_finance, pur_dc_keeper, pur_sa_keeper). */
export async function makePurchasingUsers(database: Database, chain: TestChain): Promise<PurchasingUsers> {
  return asSystem(database.db, async (ctx) => {
    const role = async (code: string) => (await findRoleByCode(ctx, code)).id;
    const suffix = userSeq++ === 0 ? '' : `_${userSeq}`;
    const user = async (login: string, name: string, orgId: number, roleCode: string, heldAt: number) =>
      (
        await createUser(ctx, {
          login: `${login}${suffix}`,
          name,
          orgId,
          password: TEST_PASSWORD,
          roles: [{ roleId: await role(roleCode), orgId: heldAt }],
        })
      ).id;
    return {
      buyer: await user('pur_buyer', '采购员', chain.hqId, 'buyer', chain.companyId),
      finance: await user('pur_finance', '财务', chain.hqId, 'finance', chain.companyId),
      dcKeeper: await user('pur_dc_keeper', '配送中心保管员', chain.dcId, 'dc_keeper', chain.dcId),
      storeAKeeper: await user('pur_sa_keeper', '门店A保管员', chain.storeA.id, 'store_keeper', chain.storeA.id),
    };
  });
}

/** A company-wide supplier (or one owned by `orgId`). */
export async function makeSupplier(ctx: Ctx, opts: { code: string; name: string; orgId?: number }): Promise<number> {
  const p = await createPartner(ctx, 'supplier', {
    code: opts.code,
    name: opts.name,
    ...(opts.orgId !== undefined ? { orgId: opts.orgId } : {}),
  });
  return p.id;
}

/** HQ grants a store the self-purchase right (and with it first-operation applications). */
export async function allowSelfPurchase(ctx: Ctx, orgId: number, allowed = true): Promise<void> {
  await updatePurchasingSettings(ctx, orgId, { selfPurchaseAllowed: allowed });
}

/** A purchase order taken through approval to confirmed (ready to receive against). */
export async function makeConfirmedPurchaseOrder(
  ctx: Ctx,
  opts: {
    orgId: number;
    warehouseId: number;
    supplierId: number;
    lines: { productId: number; qty: string; unitPrice?: string }[];
  },
): Promise<{ id: number; lineIds: number[] }> {
  const po = await createPurchaseOrder(ctx, {
    orgId: opts.orgId,
    warehouseId: opts.warehouseId,
    supplierId: opts.supplierId,
    lines: opts.lines,
  });
  const submitted = await transition(ctx, po.id, 'submit');
  if (submitted.status === 'pending_approval') await transition(ctx, po.id, 'approve');
  await transition(ctx, po.id, 'confirm');
  return { id: po.id, lineIds: po.lines.map((l) => l.id) };
}
