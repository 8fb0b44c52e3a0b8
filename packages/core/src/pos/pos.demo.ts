import { createHash, randomUUID } from 'node:crypto';
import { dec, money, NO_ROUNDING, priceSale, type RoundingRule, type UploadSaleCommand } from '@erp/contracts';
import { type DB, type Kysely, sql } from '@erp/db';
import { findRoleByCode } from '../auth/user.service.js';
import { createDocument, transition } from '../documents/documents.service.js';
import { addDays, calendarDay } from '../platform/clock.js';
import type { Ctx } from '../platform/context.js';
import type { DemoChain } from '../platform/module.js';
import { resolvePrices } from '../pricing/index.js';
import { closeDay } from './daily-close.service.js';
import { normalizePairingCode, receiptNumber } from './pos.rules.js';
import { setRoleDiscountLimit, updateCashierSettings, updateStoreSettings } from './settings.service.js';
import { createTerminal, issueReceiptBlock } from './terminal.service.js';
import { applyOfflineSales } from './upload.service.js';

/** The demo cashiers' and store managers' till PIN (收银密码). */
export const DEMO_TILL_PIN = '246810';
/** The demo tills' pairing codes (传输密码): `DEMO-<store code>` for till 01 of each store, valid 30 days. */
export const demoPairingCode = (storeCode: string) => `DEMO-${storeCode}`;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A demo till as a new user needs it to sign in at the till: its pairing code (while usable) and the logins. */
export interface DemoTill {
  terminal: string;
  store: string;
  /** Null once the till has been paired (or the code expired): 重新配对 / Re-pair in the back office. */
  pairingCode: string | null;
  cashier: string | null;
  supervisor: string | null;
  pin: string;
}

/**
 * The demo tills as they stand now (printed at start): till 01 of each store, its `DEMO-<store>` pairing
 * code while it is still unpaired and valid, and the store's cashier and manager logins that have the demo PIN.
 */
export async function demoTills(db: Kysely<DB>): Promise<DemoTill[]> {
  const rows = await sql<{
    terminal: string;
    store_code: string;
    store_name: string;
    status: string;
    pairing_code_hash: string | null;
    valid: boolean;
    logins: string[] | null;
  }>`
    select t.code as terminal, o.code as store_code, o.name as store_name, t.status, t.pairing_code_hash,
           coalesce(t.pairing_expires_at > now(), false) as valid,
           array(select u.login from app_user u join pos_cashier c on c.user_id = u.id and c.pin_hash is not null
                  where u.login in (lower(o.code) || '_cash', lower(o.code) || '_mgr') and u.active order by u.login) as logins
      from pos_terminal t join org o on o.id = t.store_id
     where t.code = o.code || '-01'
     order by o.code`.execute(db);
  return rows.rows.map((r) => {
    const code = demoPairingCode(r.store_code);
    const usable = r.status === 'unpaired' && r.valid && r.pairing_code_hash === sha256(normalizePairingCode(code));
    const logins = r.logins ?? [];
    return {
      terminal: r.terminal,
      store: `${r.store_code} ${r.store_name}`,
      pairingCode: usable ? code : null,
      cashier: logins.find((l) => l.endsWith('_cash')) ?? null,
      supervisor: logins.find((l) => l.endsWith('_mgr')) ?? null,
      pin: DEMO_TILL_PIN,
    };
  });
}

/**
 * Demo data of the pos module, through its own services: till settings per store, discount limits, till
 * PINs, a till per store waiting to be paired with a known code, and a week of history — sales made
 * (as offline uploads from the till) on each of the last six days, each of those days closed with its
 * daily report, and a few sales today.
 */
export async function seedPosDemo(ctx: Ctx, chain: DemoChain): Promise<void> {
  const company = chain.companyId;
  await setRoleDiscountLimit(ctx, { orgId: company, roleId: (await findRoleByCode(ctx, 'cashier')).id, maxDiscountRate: '10' });
  await setRoleDiscountLimit(ctx, {
    orgId: company,
    roleId: (await findRoleByCode(ctx, 'store_admin')).id,
    maxDiscountRate: '30',
  });
  const today = calendarDay();
  for (const [i, store] of chain.stores.entries()) {
    await updateStoreSettings(ctx, store.id, {
      rounding: i === 0 ? { unit: '0.1', mode: 'down' } : NO_ROUNDING,
      receiptTemplates: {
        '80': {
          header: ['{storeName}', '{storeAddress}', '电话 {storePhone}'],
          footer: ['谢谢惠顾，欢迎再次光临', '凭小票 7 天内可退换'],
          qr: 'receipt_no',
        },
      },
    });
    const staff = await ctx.db
      .selectFrom('app_user')
      .select(['id', 'login'])
      .where('login', 'in', [`${store.code.toLowerCase()}_cash`, `${store.code.toLowerCase()}_mgr`])
      .execute();
    for (const u of staff) await updateCashierSettings(ctx, u.id, { pin: DEMO_TILL_PIN });
    const cashier = staff.find((u) => u.login.endsWith('_cash'));

    const till = await createTerminal(ctx, {
      storeId: store.id,
      code: `${store.code}-01`,
      name: `${store.name} 1号收银机`,
      settings: { printerWidth: i === 0 ? 80 : 58, cashDrawer: true, customerDisplay: i === 0 },
    });
    // A known pairing code, so the demo till can be paired from the browser.
    await ctx.db
      .updateTable('pos_terminal')
      .set({
        pairing_code_hash: sha256(normalizePairingCode(demoPairingCode(store.code))),
        pairing_expires_at: new Date(Date.now() + 30 * 86_400_000),
      })
      .where('id', '=', till.id)
      .execute();
    if (i === 0) await createTerminal(ctx, { storeId: store.id, code: `${store.code}-02`, name: `${store.name} 2号收银机` });
    if (!cashier) continue;

    // What the store can sell: non-batch goods it has in stock (stock in when it has none), at today's prices.
    let goods = await sellable(ctx, store.warehouseId);
    if (goods.length < 10) {
      const products = await ctx.db
        .selectFrom('product')
        .select('id')
        .where('batch_tracked', '=', false)
        .orderBy('id')
        .limit(40)
        .execute();
      const doc = await createDocument(ctx, {
        docType: 'other_inbound',
        orgId: store.id,
        warehouseId: store.warehouseId,
        businessDate: addDays(today, -7),
        remarks: '期初库存 / opening stock',
        lines: products.map((p, k) => ({ productId: p.id, qty: '200', unitPrice: (1.2 + (k % 15) * 0.6).toFixed(2) })),
      });
      const confirmed = await transition(ctx, doc.id, 'confirm');
      // The store may have auto-post off for inbound documents (review queue): post it here.
      if (confirmed.status === 'confirmed') await transition(ctx, doc.id, 'post');
      goods = await sellable(ctx, store.warehouseId);
    }
    const prices = await resolvePrices(ctx.db, {
      storeId: store.id,
      productIds: goods.map((g) => g.id),
      priceTypes: ['retail'],
      at: new Date(),
    });
    const priced = goods
      .filter((g) => prices.get(g.id)?.retail)
      .map((g) => ({ id: g.id, price: prices.get(g.id)?.retail as string }));
    if (!priced.length) continue;

    const rounding: RoundingRule = i === 0 ? { unit: '0.1', mode: 'down' } : NO_ROUNDING;
    const block = await issueReceiptBlock(ctx.db, till.id, 2000);
    let next = block.firstNo;
    let seed = 7 + i * 31;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const daySales = (day: string, count: number): UploadSaleCommand[] =>
      Array.from({ length: count }, (_, k) => {
        const lines = Array.from({ length: 1 + rand(4) }, () => {
          const p = priced[rand(priced.length)] as { id: number; price: string };
          return { productId: p.id, qty: String(1 + rand(3)), unitPrice: p.price };
        });
        // Priced by the same pipeline the till runs (rounding 抹零 included).
        const total = dec(
          priceSale(
            {
              lines: lines.map((l, n) => ({ key: n + 1, productId: l.productId, qty: l.qty, basePrice: l.unitPrice })),
              rounding,
            },
            { storeId: store.id, priceType: 'retail', at: day },
          ).total,
        );
        const method = rand(10) < 5 ? 'cash' : 'bank_card';
        return {
          clientId: randomUUID(),
          receiptNo: receiptNumber(till.receiptPrefix, next++),
          soldAt: `${day}T${String(9 + Math.floor((k * 12) / count)).padStart(2, '0')}:${String(rand(60)).padStart(2, '0')}:00+08:00`,
          terminalId: till.id,
          cashierId: cashier.id,
          lines,
          // Cash is rounded up to the yuan (change given); cards pay the exact amount.
          tenders: [{ method, amount: method === 'cash' ? money(total.ceil()) : money(total) }],
        };
      });
    for (let d = 6; d >= 0; d--) {
      const day = addDays(today, -d);
      await applyOfflineSales(ctx, { storeId: store.id, terminalId: till.id }, daySales(day, d === 0 ? 5 : 8 + rand(8)));
    }
    for (let d = 6; d >= 1; d--) await closeDay(ctx, { storeId: store.id, day: addDays(today, -d) });
  }
}

async function sellable(ctx: Ctx, warehouseId: number) {
  const rows = await sql<{ id: number }>`
    select b.product_id as id from stock_balance b join product p on p.id = b.product_id
     where b.warehouse_id = ${warehouseId} and b.batch_no = '' and b.status = 'sellable' and b.qty >= 60 and not p.batch_tracked
     order by b.product_id limit 40`.execute(ctx.db);
  return rows.rows;
}
