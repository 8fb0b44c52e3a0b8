// Test factories of the pos module: build fixtures through the module's real services.
import { randomUUID } from 'node:crypto';
import type { SaleCommand, UploadSaleCommand } from '@erp/contracts';
import {
  asSystem,
  type Ctx,
  chargePayment,
  checkout,
  createDocument,
  createTerminal,
  inTransaction,
  openShift,
  pairTerminal,
  receiptNumber,
  resolveSession,
  setPrices,
  type TillAuth,
  tillSignIn,
  transition,
  updateCashierSettings,
  uploadOfflineSales,
} from '@erp/core';
import type { Database } from '@erp/db';
import { beforeAll } from 'vitest';
import { type TestChain, useTestChain } from './chain.js';

export const TEST_PIN = '284613';
export const SUPERVISOR_PIN = '731904';

const origin = { ip: '127.0.0.1', userAgent: 'till-test', requestId: 'test' };

/** Retail prices for the chain's products (for every store), effective from a moment ago. */
export async function givePrices(database: Database, prices: Record<number, string>, type: 'retail' | 'member' = 'retail') {
  await asSystem(database.db, (ctx) =>
    setPrices(ctx, {
      effectiveFrom: new Date(Date.now() - 30_000).toISOString(),
      prices: Object.entries(prices).map(([productId, price]) => ({ productId: Number(productId), priceType: type, price })),
    }),
  );
}

/** Puts stock into a warehouse through an inbound document (posted through the ledger). */
export async function giveStock(
  database: Database,
  orgId: number,
  warehouseId: number,
  lines: { productId: number; qty: string; unitCost: string }[],
) {
  await asSystem(database.db, async (ctx) => {
    const doc = await createDocument(ctx, {
      docType: 'other_inbound',
      orgId,
      warehouseId,
      lines: lines.map((l) => ({ productId: l.productId, qty: l.qty, unitPrice: l.unitCost })),
    });
    await transition(ctx, doc.id, 'confirm');
  });
}

export async function setPin(database: Database, userId: number, pin: string, maxDiscountRate?: string | null) {
  await asSystem(database.db, (ctx) =>
    updateCashierSettings(ctx, userId, { pin, ...(maxDiscountRate !== undefined ? { maxDiscountRate } : {}) }),
  );
}

export interface TestTerminal {
  id: number;
  code: string;
  token: string;
  prefix: string;
  next: () => string;
}

/** A till registered to a store and paired (the device side of the pairing code). */
export async function pairedTerminal(database: Database, storeId: number, code: string): Promise<TestTerminal> {
  const t = await asSystem(database.db, (ctx) => createTerminal(ctx, { storeId, code, name: `收银机 ${code}` }));
  const paired = await database.db
    .transaction()
    .execute((trx) => pairTerminal(trx, { code: t.pairingCode, deviceName: 'test' }, origin));
  let n = paired.receiptBlock.firstNo;
  return {
    id: t.id,
    code,
    token: paired.terminalToken,
    prefix: t.receiptPrefix,
    next: () => receiptNumber(t.receiptPrefix, n++),
  };
}

export interface TestTill {
  terminal: TestTerminal;
  auth: TillAuth;
  token: string;
  userId: number;
  /** Runs `fn` as the signed-in cashier in one transaction. */
  run<T>(fn: (ctx: Ctx, auth: TillAuth) => Promise<T>): Promise<T>;
  shiftId: string;
}

/** A cashier signed in on a till with the PIN (as the till does), optionally with an open shift. */
export async function signInTill(
  database: Database,
  terminal: TestTerminal,
  login: string,
  pin: string,
  opts: { float?: string | null } = {},
): Promise<TestTill> {
  const result = await database.db
    .transaction()
    .execute((trx) => tillSignIn(trx, { terminalToken: terminal.token, login, pin }, origin));
  if (!result.ok) throw new Error(`till sign-in failed: ${result.code}`);
  const auth: TillAuth = { sessionId: result.sessionId, terminalToken: terminal.token };
  const run = async <T>(fn: (ctx: Ctx, a: TillAuth) => Promise<T>): Promise<T> => {
    const session = await resolveSession(database.db, result.token);
    if (!session) throw new Error('till session ended');
    return inTransaction(database.db, { actor: session.actor, requestId: 'test', ip: '127.0.0.1' }, (ctx) => fn(ctx, auth));
  };
  const shiftId = randomUUID();
  if (opts.float !== null) await run((ctx, a) => openShift(ctx, a, { id: shiftId, float: opts.float ?? '200.00' }));
  return { terminal, auth, token: result.token, userId: result.cashier.id, run, shiftId };
}

/** A sale command with fresh ids, paid in cash unless tenders are given. */
export function saleCommand(till: TestTill, lines: SaleCommand['lines'], extra: Partial<SaleCommand> = {}): SaleCommand {
  return {
    clientId: randomUUID(),
    receiptNo: till.terminal.next(),
    shiftId: till.shiftId,
    lines,
    tenders: [],
    ...extra,
  };
}

/** A sale as the till's outbox uploads it after selling offline: made now, by the till's cashier, in its shift. */
export function offlineSale(
  till: TestTill,
  lines: UploadSaleCommand['lines'],
  extra: Partial<UploadSaleCommand> = {},
): UploadSaleCommand {
  return {
    clientId: randomUUID(),
    receiptNo: till.terminal.next(),
    soldAt: new Date().toISOString(),
    terminalId: till.terminal.id,
    cashierId: till.userId,
    shiftId: till.shiftId,
    lines,
    tenders: [],
    ...extra,
  };
}

/** The till's upload (脱机上传) of offline sales, as its signed-in cashier. */
export function uploadAtTill(till: TestTill, sales: readonly UploadSaleCommand[]) {
  return till.run((ctx, a) => uploadOfflineSales(ctx, a, { sales: [...sales] }));
}

/** The checkout as the till's API runs it (fast path, then the full path in a new transaction if needed). */
export function checkoutAtTill(till: TestTill, cmd: SaleCommand) {
  return checkout((fn) => till.run((ctx) => fn(ctx)), till.auth, cmd);
}

/** A mobile payment as the till's API makes it: begin (committed), provider call, outcome (committed). */
export async function payMobile(till: TestTill, clientSaleId: string, amount: string, authCode = '134567890123456789') {
  const cmd = { intentId: randomUUID(), clientSaleId, amount, authCode, channel: 'wechat' as const };
  return (await chargePayment((fn) => till.run((ctx) => fn(ctx)), till.auth, cmd)).intent;
}

export interface PosFixture {
  till: TestTill;
  terminal: TestTerminal;
  products: { apple: number; milk: number };
}

/**
 * Store A with retail prices (apple 5.00, milk 3.50), stock (100 each at cost 3.20 / 2.10), the cashier's
 * and store manager's till PINs, a paired till and the cashier signed in on it with an open shift.
 */
export async function buildPosFixture(database: Database, chain: TestChain, code = 'SA-T1'): Promise<PosFixture> {
  await givePrices(database, { [chain.products.apple]: '5.00', [chain.products.milk]: '3.50' });
  await giveStock(database, chain.storeA.id, chain.storeA.warehouseId, [
    { productId: chain.products.apple, qty: '100', unitCost: '3.20' },
    { productId: chain.products.milk, qty: '100', unitCost: '2.10' },
  ]);
  await setPin(database, chain.users.storeACashier, TEST_PIN);
  await setPin(database, chain.users.storeAAdmin, SUPERVISOR_PIN);
  const terminal = await pairedTerminal(database, chain.storeA.id, code);
  const till = await signInTill(database, terminal, 'sa_cashier', TEST_PIN);
  return { till, terminal, products: { apple: chain.products.apple, milk: chain.products.milk } };
}

/**
 * `useTestChain` plus store A's till (`buildPosFixture`): the start of a test file about the till.
 *
 *   const { database, chain, pos: f } = usePosFixture();
 *
 * Like `chain`, `pos` is filled in before the file's own hooks run: read it inside tests and hooks.
 */
export function usePosFixture(code?: string): { database: () => Database; chain: TestChain; pos: PosFixture } {
  const { database, chain } = useTestChain();
  const pos = {} as PosFixture;
  beforeAll(async () => {
    Object.assign(pos, await buildPosFixture(database(), chain, code));
  });
  return { database, chain, pos };
}
