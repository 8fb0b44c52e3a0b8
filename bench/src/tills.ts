import { randomUUID } from 'node:crypto';
import { TERMINAL_TOKEN_HEADER } from '@erp/contracts';
import { asSystem, createTerminal, createUser, findRoleByCode, receiptNumber, updateCashierSettings } from '@erp/core';
import type { BenchStore } from './chain.js';
import type { BenchContext } from './model.js';

export const BENCH_PIN = '284613';

/** A paired till with its cashier signed in and a shift open: what a store's checkout lane is. */
export interface BenchTill {
  store: BenchStore;
  terminalId: number;
  cashierId: number;
  login: string;
  shiftId: string;
  /** Bearer session of the cashier on this till + the till's own token. */
  headers: Record<string, string>;
  /** The next receipt number of the till's blocks (asks for another block when one runs out). */
  nextReceipt(): Promise<string>;
}

interface TillState {
  tills: BenchTill[];
}

/**
 * `count` tills in the first `count` stores, one cashier each, set up the way a store does it: the cashier
 * and the till registered through the services (as the back office would), the device paired with its
 * one-time code, the cashier signing in with the till PIN and opening a shift through the till's HTTP API.
 * Built once per engine and shared by the checkout benchmarks.
 */
export async function benchTills(ctx: BenchContext, count: number): Promise<BenchTill[]> {
  const key = 'tills';
  const state = (ctx.shared.get(key) as TillState | undefined) ?? { tills: [] };
  ctx.shared.set(key, state);
  const { db } = ctx.engine.database;
  const server = await ctx.server();
  for (let i = state.tills.length; i < count; i++) {
    const store = ctx.chain.stores[i];
    if (!store) throw new Error(`a till in store ${i + 1} needs ${i + 1} stores at this scale`);
    const login = `bench_till${i + 1}`;
    const code = `${store.code}-T1`;
    const made = await asSystem(db, async (c) => {
      const cashier = await createUser(c, {
        login,
        name: `基准收银员${i + 1}`,
        orgId: store.id,
        password: `${ctx.chain.users.cashier.password}x${i}`,
        roles: [{ roleId: (await findRoleByCode(c, 'cashier')).id, orgId: store.id }],
      });
      await updateCashierSettings(c, cashier.id, { pin: BENCH_PIN });
      const terminal = await createTerminal(c, { storeId: store.id, code, name: `基准收银机 ${code}` });
      return { cashierId: cashier.id, terminal };
    });
    const paired = await server.request(
      'POST',
      '/api/pos/terminal/pair',
      {},
      { code: made.terminal.pairingCode, deviceName: 'bench' },
    );
    if (paired.status !== 200) throw new Error(`pairing ${code}: ${paired.status} ${paired.body.slice(0, 300)}`);
    const pair = JSON.parse(paired.body) as { terminalToken: string; receiptBlock: { firstNo: number; lastNo: number } };
    const terminalHeader = { [TERMINAL_TOKEN_HEADER]: pair.terminalToken };
    const signIn = await server.request('POST', '/api/pos/till/sign-in', terminalHeader, { login, pin: BENCH_PIN });
    if (signIn.status !== 200) throw new Error(`till sign-in ${login}: ${signIn.status} ${signIn.body.slice(0, 300)}`);
    const headers = { ...terminalHeader, authorization: `Bearer ${(JSON.parse(signIn.body) as { token: string }).token}` };
    const shiftId = randomUUID();
    const shift = await server.request('POST', '/api/pos/shifts', headers, { id: shiftId, float: '200.00' });
    if (shift.status !== 200) throw new Error(`open shift ${code}: ${shift.status} ${shift.body.slice(0, 300)}`);
    const prefix = made.terminal.receiptPrefix;
    let next = pair.receiptBlock.firstNo;
    let last = pair.receiptBlock.lastNo;
    state.tills.push({
      store,
      terminalId: made.terminal.id,
      cashierId: made.cashierId,
      login,
      shiftId,
      headers,
      nextReceipt: async () => {
        if (next > last) {
          const res = await server.request('POST', '/api/pos/till/receipt-blocks', headers, { size: 100_000 });
          if (res.status !== 200) throw new Error(`receipt block ${code}: ${res.status} ${res.body.slice(0, 300)}`);
          const block = JSON.parse(res.body) as { firstNo: number; lastNo: number };
          next = block.firstNo;
          last = block.lastNo;
        }
        return receiptNumber(prefix, next++);
      },
    });
  }
  return state.tills.slice(0, count);
}
