import {
  asSystem,
  asUser,
  expectRefusal,
  pairedTerminal,
  SUPERVISOR_PIN,
  saleCommand,
  setPin,
  signInTill,
  TEST_PIN,
  usePosFixture,
} from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { openSession } from '../auth/session.service.js';
import { authorizeAtTill } from './authorization.service.js';
import { recordSale } from './sale.service.js';
import { getStoreSettings, updateStoreSettings } from './settings.service.js';
import {
  createTerminal,
  getTerminal,
  issueReceiptBlock,
  pairTerminal,
  requestReceiptBlock,
  resetTerminalPairing,
  resolveTill,
  tillSignIn,
  updateTerminal,
} from './terminal.service.js';

const { database, chain, pos: f } = usePosFixture();
const origin = { ip: '127.0.0.1', userAgent: 'test', requestId: 'test' };

const pair = (code: string) =>
  database()
    .db.transaction()
    .execute((trx) => pairTerminal(trx, { code }, origin));
const signIn = (token: string, login: string, pin: string) =>
  database()
    .db.transaction()
    .execute((trx) => tillSignIn(trx, { terminalToken: token, login, pin }, origin));

describe('tills (ORG-5)', () => {
  it('a pairing code works once, for the store the till was registered to, and yields a receipt block', async () => {
    const t = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      createTerminal(ctx, { storeId: chain.storeA.id, code: 'SA-T9', name: '9号机' }),
    );
    expect(t.pairingCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(t.status).toBe('unpaired');
    const stored = await database()
      .db.selectFrom('pos_terminal')
      .select('pairing_code_hash')
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(stored.pairing_code_hash).not.toContain(t.pairingCode.replace('-', '')); // only a hash is kept
    const paired = await pair(t.pairingCode.toLowerCase());
    expect(paired.terminal.status).toBe('active');
    expect(paired.store.id).toBe(chain.storeA.id);
    expect(paired.receiptBlock.firstReceiptNo).toBe('SA-T9-00000001');
    await expectRefusal(pair(t.pairingCode), 'POS_PAIRING_CODE_INVALID');
    await expectRefusal(pair('ZZZZ-ZZZZ'), 'POS_PAIRING_CODE_INVALID');
  });

  it('an expired pairing code is refused', async () => {
    const t = await asSystem(database().db, (ctx) =>
      createTerminal(ctx, { storeId: chain.storeA.id, code: 'SA-T8', name: '8号机' }),
    );
    await database()
      .db.updateTable('pos_terminal')
      .set({ pairing_expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', t.id)
      .execute();
    await expectRefusal(pair(t.pairingCode), 'POS_PAIRING_CODE_INVALID');
  });

  it('a store admin cannot register a till in another store', async () => {
    await expectRefusal(
      asUser(database(), chain.users.storeAAdmin, (ctx) =>
        createTerminal(ctx, { storeId: chain.storeB.id, code: 'X1', name: 'x' }),
      ),
      'NOT_FOUND',
    );
  });

  it('receipt-number blocks never overlap', async () => {
    const t = await pairedTerminal(database(), chain.storeA.id, 'SA-T7');
    const b2 = await database()
      .db.transaction()
      .execute((trx) => issueReceiptBlock(trx, t.id, 100));
    const b3 = await f.till.run((ctx, a) => requestReceiptBlock(ctx, a, 200));
    expect(b2.firstNo).toBe(5001);
    expect(b2.lastNo).toBe(5100);
    expect(b3.firstNo).toBeGreaterThan(0);
    const blocks = await asSystem(database().db, (ctx) => getTerminal(ctx, t.id));
    expect(blocks.receiptBlocks.map((b) => [b.firstNo, b.lastNo])).toEqual([
      [1, 5000],
      [5001, 5100],
    ]);
  });

  it('per-terminal peripheral settings', async () => {
    const t = await asSystem(database().db, (ctx) =>
      updateTerminal(ctx, f.terminal.id, {
        settings: {
          printerWidth: 58,
          cashDrawer: false,
          customerDisplay: true,
          scale: { enabled: true, mode: 'serial', baudRate: 9600 },
        },
      }),
    );
    expect(t.settings).toMatchObject({
      printerWidth: 58,
      cashDrawer: false,
      customerDisplay: true,
      scale: { enabled: true, mode: 'serial' },
    });
  });
});

describe('cashier sign-in on a till', () => {
  it('binds the session to the till and its store; a cashier of another store cannot sign in', async () => {
    const r = await signIn(f.terminal.token, 'sa_cashier', TEST_PIN);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.store.id).toBe(chain.storeA.id);
    const row = await database()
      .db.selectFrom('pos_till_session')
      .selectAll()
      .where('session_id', '=', r.sessionId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ terminal_id: f.terminal.id, store_id: chain.storeA.id });
    await setPin(database(), chain.users.storeBAdmin, '580417');
    const other = await signIn(f.terminal.token, 'sb_admin', '580417');
    expect(other).toMatchObject({ ok: false, code: 'POS_NOT_A_CASHIER' });
  });

  it('wrong PINs count and lock the cashier out, even though each sign-in fails', async () => {
    await setPin(database(), chain.users.storeASuper, '918273');
    for (let i = 0; i < 4; i++)
      expect(await signIn(f.terminal.token, 'sa_super', '000001')).toMatchObject({ ok: false, code: 'POS_PIN_INVALID' });
    expect(await signIn(f.terminal.token, 'sa_super', '000001')).toMatchObject({ ok: false, code: 'POS_PIN_LOCKED' });
    expect(await signIn(f.terminal.token, 'sa_super', '918273')).toMatchObject({ ok: false, code: 'POS_PIN_LOCKED' });
    const failures = await database()
      .db.selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'pos.sign_in_failed')
      .where('login', '=', 'sa_super')
      .execute();
    expect(failures.length).toBe(6);
  });

  it('a token of a disabled or re-paired till stops working at once, and its sessions end', async () => {
    const t = await pairedTerminal(database(), chain.storeA.id, 'SA-T6');
    const till = await signInTill(database(), t, 'sa_cashier', TEST_PIN, { float: null });
    await asSystem(database().db, (ctx) => updateTerminal(ctx, t.id, { active: false }));
    await expectRefusal(signIn(t.token, 'sa_cashier', TEST_PIN), 'POS_TERMINAL_TOKEN_INVALID');
    await expect(till.run((ctx, a) => resolveTill(ctx, a))).rejects.toThrow('till session ended'); // session revoked
    await asSystem(database().db, (ctx) => updateTerminal(ctx, t.id, { active: true }));
    const reset = await asSystem(database().db, (ctx) => resetTerminalPairing(ctx, t.id));
    await expectRefusal(signIn(t.token, 'sa_cashier', TEST_PIN), 'POS_TERMINAL_TOKEN_INVALID');
    const again = await pair(reset.pairingCode);
    expect((await signIn(again.terminalToken, 'sa_cashier', TEST_PIN)).ok).toBe(true);
  });

  it('till requests need a till session of the caller and the till token beside it', async () => {
    // A back-office session of the same cashier (not opened on a till) is refused.
    const plain = await database()
      .db.transaction()
      .execute((trx) => openSession(trx, chain.users.storeACashier, 'bearer', origin));
    await expectRefusal(
      asUser(database(), chain.users.storeACashier, (ctx) =>
        resolveTill(ctx, { sessionId: plain.id, terminalToken: f.terminal.token }),
      ),
      'POS_TILL_SESSION_REQUIRED',
    );
    // The cashier's own till session without (or with a wrong) till token is refused.
    await expectRefusal(
      f.till.run((ctx, a) =>
        recordSale(ctx, { ...a, terminalToken: undefined }, saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }])),
      ),
      'POS_TERMINAL_TOKEN_INVALID',
    );
    // Someone else's till session is refused too.
    await expectRefusal(
      asUser(database(), chain.users.storeAAdmin, (ctx) => resolveTill(ctx, f.till.auth)),
      'POS_TILL_SESSION_REQUIRED',
    );
    const other = await pairedTerminal(database(), chain.storeA.id, 'SA-T5');
    await expectRefusal(
      f.till.run((ctx, a) => resolveTill(ctx, { ...a, terminalToken: other.token })),
      'POS_TERMINAL_TOKEN_INVALID',
    );
  });
});

describe('store settings', () => {
  it('hotkeys per store: defaults, edits, and no key for two actions', async () => {
    const s = await asUser(database(), chain.users.storeAAdmin, (ctx) => getStoreSettings(ctx, chain.storeA.id));
    expect(s.hotkeys.find((h) => h.action === 'pay')?.key).toBe('F12');
    const after = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      updateStoreSettings(ctx, chain.storeA.id, {
        hotkeys: [
          { action: 'pay', key: 'Enter' },
          { action: 'hold', key: 'F7' },
        ],
        rounding: { unit: '0.1', mode: 'down' },
      }),
    );
    expect(after.hotkeys).toEqual([
      { action: 'pay', key: 'Enter' },
      { action: 'hold', key: 'F7' },
    ]);
    expect(after.syncSeq).toBeGreaterThan(0);
    // The settings schema itself refuses it (a ZodError, which the HTTP layer answers as a 400).
    await expect(
      asUser(database(), chain.users.storeAAdmin, (ctx) =>
        updateStoreSettings(ctx, chain.storeA.id, {
          hotkeys: [
            { action: 'pay', key: 'F1' },
            { action: 'hold', key: 'f1' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ZodError' });
    await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      updateStoreSettings(ctx, chain.storeA.id, { rounding: { unit: '0', mode: 'down' } }),
    );
  });

  it('a supervisor authorisation needs the supervisor grant and the right PIN; failures are audited', async () => {
    await expectRefusal(
      f.till.run((ctx, a) => authorizeAtTill(ctx, a, { login: 'sa_cashier', pin: TEST_PIN, purpose: 'discount' })),
      'POS_NOT_A_SUPERVISOR',
    );
    const wrong = await f.till.run((ctx, a) =>
      authorizeAtTill(ctx, a, { login: 'sa_admin', pin: '000002', purpose: 'discount' }),
    );
    expect(wrong).toMatchObject({ ok: false, code: 'POS_PIN_INVALID' });
    const ok = await f.till.run((ctx, a) =>
      authorizeAtTill(ctx, a, { login: 'sa_admin', pin: SUPERVISOR_PIN, purpose: 'manual_return' }),
    );
    expect(ok.ok).toBe(true);
    const audit = await database()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'pos_authorization')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['pos.authorization_failed', 'pos.authorization_granted']));
  });
});
