import { createHash, randomBytes } from 'node:crypto';
import {
  type CreateTerminalCommand,
  createTerminalBody,
  DomainError,
  type TerminalSettings,
  terminalSettings,
  type UpdateTerminalCommand,
  updateTerminalBody,
} from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { hashToken, newToken, openSession, type RequestOrigin, safeEqual } from '../auth/session.service.js';
import { getVisibleOrg } from '../org/org.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { userHasGrantAtStore } from './pos.access.js';
import { checkPin, dummyPinVerifier } from './pos.pins.js';
import { formatPairingCode, normalizePairingCode, receiptNumber } from './pos.rules.js';
import { forgetStore } from './till-cache.js';

// ORG-5: tills registered to a store with a one-time pairing code; cashier sign-in on a till.

export const PAIRING_HOURS = 24;
export const RECEIPT_BLOCK_SIZE = 5000;
export const MAX_FAILED_PINS = 5;
export const PIN_LOCK_MINUTES = 15;
/** A till session lasts a working day and a half; the till signs the cashier in again after that. */
export const TILL_SESSION_DAYS = 1.5;

export interface TerminalDto {
  id: number;
  storeId: number;
  code: string;
  name: string;
  status: 'unpaired' | 'active' | 'disabled';
  settings: TerminalSettings;
  receiptPrefix: string;
  deviceName: string | null;
  pairedAt: Date | null;
  lastSeenAt: Date | null;
  pairingExpiresAt: Date | null;
}

type TerminalRow = {
  id: number;
  store_id: number;
  code: string;
  name: string;
  status: 'unpaired' | 'active' | 'disabled';
  settings: unknown;
  receipt_prefix: string;
  device_name: string | null;
  paired_at: Date | null;
  last_seen_at: Date | null;
  pairing_expires_at: Date | null;
};

export function toTerminalDto(r: TerminalRow): TerminalDto {
  return {
    id: r.id,
    storeId: r.store_id,
    code: r.code,
    name: r.name,
    status: r.status,
    settings: terminalSettings.parse(r.settings ?? {}),
    receiptPrefix: r.receipt_prefix,
    deviceName: r.device_name,
    pairedAt: r.paired_at,
    lastSeenAt: r.last_seen_at,
    pairingExpiresAt: r.status === 'unpaired' ? r.pairing_expires_at : null,
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function newPairingCode(): { code: string; hash: string; expiresAt: Date } {
  const code = formatPairingCode(randomBytes(8));
  return {
    code,
    hash: sha256(normalizePairingCode(code)),
    expiresAt: new Date(Date.now() + PAIRING_HOURS * 3_600_000),
  };
}

async function visibleTerminal(ctx: Ctx, id: number, forUpdate = false) {
  let q = ctx.db.selectFrom('pos_terminal').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row || !ctx.scope.has(row.store_id)) throw new DomainError('NOT_FOUND', { entity: 'terminal', id });
  return row;
}

async function assertStore(ctx: Ctx, storeId: number) {
  const org = await getVisibleOrg(ctx, storeId);
  if (org.kind !== 'store') throw new DomainError('ORG_NOT_A_STORE', { org: org.code });
  return org;
}

/**
 * Registers a till to a store (ORG-5). Returns the one-time pairing code (传输密码) — shown once, stored only
 * as a hash — that the device redeems for its own token within PAIRING_HOURS.
 */
export async function createTerminal(ctx: Ctx, input: CreateTerminalCommand): Promise<TerminalDto & { pairingCode: string }> {
  const cmd = createTerminalBody.parse(input);
  authorize(ctx, 'pos.terminal', 'create');
  await assertStore(ctx, cmd.storeId);
  const dup = await ctx.db.selectFrom('pos_terminal').select('id').where('code', '=', cmd.code).executeTakeFirst();
  if (dup) throw new DomainError('DUPLICATE', { field: 'code', value: cmd.code });
  const pairing = newPairingCode();
  const row = await ctx.db
    .insertInto('pos_terminal')
    .values({
      store_id: cmd.storeId,
      code: cmd.code,
      name: cmd.name,
      settings: JSON.stringify(terminalSettings.parse(cmd.settings ?? {})),
      receipt_prefix: `${cmd.code.toUpperCase()}-`,
      pairing_code_hash: pairing.hash,
      pairing_expires_at: pairing.expiresAt,
      created_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const dto = toTerminalDto(row);
  // The checkout's write guard share-locks the store's settings row: every store with a till has one.
  await sql`insert into pos_store_settings (store_id) values (${row.store_id}) on conflict (store_id) do nothing`.execute(ctx.db);
  await recordAudit(ctx, { action: 'create', entity: 'pos_terminal', entityId: row.id, after: dto, orgId: row.store_id });
  return { ...dto, pairingCode: pairing.code };
}

/**
 * A new pairing code for a till (a replaced or reset device). The old device's token stops working at once
 * and its cashiers' till sessions end.
 */
export async function resetTerminalPairing(ctx: Ctx, id: number): Promise<TerminalDto & { pairingCode: string }> {
  authorize(ctx, 'pos.terminal', 'manage');
  const before = await visibleTerminal(ctx, id, true);
  const pairing = newPairingCode();
  const row = await ctx.db
    .updateTable('pos_terminal')
    .set({
      status: 'unpaired',
      token_hash: null,
      pairing_code_hash: pairing.hash,
      pairing_expires_at: pairing.expiresAt,
      updated_at: new Date(),
      sync_seq: sql`nextval('pos_sync_seq')`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await endTillSessions(ctx.db, id);
  await recordAudit(ctx, {
    action: 'pos.terminal_reset_pairing',
    entity: 'pos_terminal',
    entityId: id,
    before: toTerminalDto(before),
    after: toTerminalDto(row),
    orgId: row.store_id,
  });
  return { ...toTerminalDto(row), pairingCode: pairing.code };
}

async function endTillSessions(db: Transaction<DB>, terminalId: number): Promise<void> {
  const t = await db.selectFrom('pos_terminal').select('store_id').where('id', '=', terminalId).executeTakeFirst();
  if (t) forgetStore(t.store_id);
  await sql`update user_session s set revoked_at = now()
              from pos_till_session t
             where t.session_id = s.id and t.terminal_id = ${terminalId} and s.revoked_at is null`.execute(db);
}

export async function updateTerminal(ctx: Ctx, id: number, input: UpdateTerminalCommand): Promise<TerminalDto> {
  const cmd = updateTerminalBody.parse(input);
  authorize(ctx, 'pos.terminal', 'edit');
  const before = await visibleTerminal(ctx, id, true);
  let status = before.status;
  if (cmd.active === false) status = 'disabled';
  if (cmd.active === true && before.status === 'disabled') status = before.token_hash ? 'active' : 'unpaired';
  const row = await ctx.db
    .updateTable('pos_terminal')
    .set({
      ...(cmd.name !== undefined ? { name: cmd.name } : {}),
      ...(cmd.settings !== undefined ? { settings: JSON.stringify(cmd.settings) } : {}),
      status,
      updated_at: new Date(),
      sync_seq: sql`nextval('pos_sync_seq')`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (status === 'disabled') await endTillSessions(ctx.db, id);
  const after = toTerminalDto(row);
  await recordAudit(ctx, {
    action: 'update',
    entity: 'pos_terminal',
    entityId: id,
    before: toTerminalDto(before),
    after,
    orgId: row.store_id,
  });
  return after;
}

export async function getTerminal(ctx: Ctx, id: number): Promise<TerminalDto & { receiptBlocks: ReceiptBlock[] }> {
  authorize(ctx, 'pos.terminal', 'view');
  const row = await visibleTerminal(ctx, id);
  const blocks = await ctx.db
    .selectFrom('pos_receipt_block')
    .select(['first_no', 'last_no', 'issued_at'])
    .where('terminal_id', '=', id)
    .orderBy('first_no')
    .execute();
  return { ...toTerminalDto(row), receiptBlocks: blocks.map((b) => blockDto(row.receipt_prefix, b)) };
}

export async function listTerminals(ctx: Ctx, q: { storeId?: number | undefined }): Promise<TerminalDto[]> {
  authorize(ctx, 'pos.terminal', 'view');
  if (q.storeId !== undefined) ctx.scope.assert(q.storeId, 'org', q.storeId);
  const rows = await ctx.db
    .selectFrom('pos_terminal')
    .selectAll()
    .where('store_id', 'in', q.storeId !== undefined ? [q.storeId] : [...ctx.scope.ids, -1])
    .orderBy('code')
    .execute();
  return rows.map(toTerminalDto);
}

export interface ReceiptBlock {
  firstNo: number;
  lastNo: number;
  firstReceiptNo: string;
  lastReceiptNo: string;
  issuedAt: Date;
}

function blockDto(prefix: string, b: { first_no: number; last_no: number; issued_at: Date }): ReceiptBlock {
  return {
    firstNo: Number(b.first_no),
    lastNo: Number(b.last_no),
    firstReceiptNo: receiptNumber(prefix, Number(b.first_no)),
    lastReceiptNo: receiptNumber(prefix, Number(b.last_no)),
    issuedAt: b.issued_at,
  };
}

/** Issues the next block of receipt numbers to a till: numbers are never issued twice (the terminal row is locked). */
export async function issueReceiptBlock(
  db: Transaction<DB>,
  terminalId: number,
  size = RECEIPT_BLOCK_SIZE,
): Promise<ReceiptBlock> {
  const t = await db
    .selectFrom('pos_terminal')
    .select(['receipt_prefix'])
    .where('id', '=', terminalId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const last = await db
    .selectFrom('pos_receipt_block')
    .select((eb) => eb.fn.max('last_no').as('m'))
    .where('terminal_id', '=', terminalId)
    .executeTakeFirst();
  const first = Number(last?.m ?? 0) + 1;
  const row = await db
    .insertInto('pos_receipt_block')
    .values({ terminal_id: terminalId, first_no: first, last_no: first + size - 1 })
    .returningAll()
    .executeTakeFirstOrThrow();
  return blockDto(t.receipt_prefix, row);
}

export interface PairResult {
  terminalToken: string;
  terminal: TerminalDto;
  store: { id: number; code: string; name: string };
  receiptBlock: ReceiptBlock;
}

/**
 * The device redeems the pairing code (public: the code is the credential). The code works once; the
 * device receives its terminal token (shown once, stored as a hash) and its first block of receipt numbers.
 */
export async function pairTerminal(
  trx: Transaction<DB>,
  cmd: { code: string; deviceName?: string | undefined },
  origin: RequestOrigin,
): Promise<PairResult> {
  const hash = sha256(normalizePairingCode(cmd.code));
  const row = await trx
    .selectFrom('pos_terminal')
    .selectAll()
    .where('pairing_code_hash', '=', hash)
    .forUpdate()
    .executeTakeFirst();
  if (row?.status !== 'unpaired' || !row.pairing_expires_at || row.pairing_expires_at.getTime() < Date.now()) {
    throw new DomainError('POS_PAIRING_CODE_INVALID');
  }
  const token = newToken();
  const updated = await trx
    .updateTable('pos_terminal')
    .set({
      status: 'active',
      token_hash: hashToken(token),
      pairing_code_hash: null,
      pairing_expires_at: null,
      device_name: cmd.deviceName ?? null,
      paired_at: new Date(),
      last_seen_at: new Date(),
      updated_at: new Date(),
      sync_seq: sql`nextval('pos_sync_seq')`,
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const block = await issueReceiptBlock(trx, row.id);
  const store = await trx
    .selectFrom('org')
    .select(['id', 'code', 'name'])
    .where('id', '=', row.store_id)
    .executeTakeFirstOrThrow();
  await recordAudit(
    {
      db: trx,
      ip: origin.ip,
      requestId: origin.requestId,
      actor: { userId: 0, login: `terminal:${row.code}`, orgId: row.store_id },
    },
    {
      action: 'pos.terminal_paired',
      entity: 'pos_terminal',
      entityId: row.id,
      detail: { deviceName: cmd.deviceName ?? null, receiptBlock: block },
      orgId: row.store_id,
    },
  );
  return { terminalToken: token, terminal: toTerminalDto(updated), store, receiptBlock: block };
}

/** The paired, active till holding `token`, or null. */
export async function terminalByToken(db: Transaction<DB>, token: string) {
  const row = await db.selectFrom('pos_terminal').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  return row && row.status === 'active' ? row : null;
}

export type TillSignInResult =
  | {
      ok: true;
      token: string;
      expiresAt: Date;
      sessionId: number;
      cashier: { id: number; login: string; name: string };
      terminal: TerminalDto;
      store: { id: number; code: string; name: string };
    }
  | { ok: false; code: SignInFailure; params?: Record<string, string> };

type SignInFailure = 'POS_PIN_INVALID' | 'POS_PIN_LOCKED' | 'POS_PIN_NOT_SET' | 'POS_NOT_A_CASHIER' | 'ACCOUNT_DISABLED';

/**
 * A cashier signs in ON a till (ORG-5, POS-1): the till's token says which till and store, the cashier's
 * login and till PIN say who. The session is bound to that till and store; every till request acts for them
 * only. Failed PINs count towards a lockout and are committed even though the sign-in fails.
 */
export async function tillSignIn(
  trx: Transaction<DB>,
  cmd: { terminalToken: string; login: string; pin: string },
  origin: RequestOrigin,
): Promise<TillSignInResult> {
  const terminal = await terminalByToken(trx, cmd.terminalToken);
  if (!terminal) throw new DomainError('POS_TERMINAL_TOKEN_INVALID');
  const user = await trx
    .selectFrom('app_user')
    .select(['id', 'login', 'name', 'active', 'org_id'])
    .where(sql`lower(login)`, '=', cmd.login.toLowerCase())
    .executeTakeFirst();
  const auditCtx = {
    db: trx,
    ip: origin.ip,
    requestId: origin.requestId,
    actor: { userId: user?.id ?? 0, login: cmd.login, orgId: terminal.store_id },
  };
  const cashier = user
    ? await trx.selectFrom('pos_cashier').selectAll().where('user_id', '=', user.id).forUpdate().executeTakeFirst()
    : undefined;
  const fail = async (code: SignInFailure, reason: string, params?: Record<string, string>) => {
    await recordAudit(auditCtx, {
      action: 'pos.sign_in_failed',
      entity: 'pos_terminal',
      entityId: terminal.id,
      detail: { reason, login: cmd.login },
      orgId: terminal.store_id,
    });
    return { ok: false as const, code, ...(params ? { params } : {}) };
  };
  if (!user || !cashier?.pin_hash) {
    await checkPin(cmd.pin, await dummyPinVerifier());
    return user ? fail('POS_PIN_NOT_SET', 'no_pin', { login: user.login }) : fail('POS_PIN_INVALID', 'unknown_login');
  }
  const now = new Date();
  if (cashier.locked_until && cashier.locked_until > now) {
    return fail('POS_PIN_LOCKED', 'locked', { until: cashier.locked_until.toISOString() });
  }
  const ok = await checkPin(cmd.pin, {
    salt: cashier.pin_salt as string,
    hash: cashier.pin_hash,
    iterations: cashier.pin_iterations as number,
  });
  if (!ok) {
    const failures = cashier.failed_pins + 1;
    const lock = failures >= MAX_FAILED_PINS ? new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000) : null;
    await trx
      .updateTable('pos_cashier')
      .set({ failed_pins: lock ? 0 : failures, locked_until: lock })
      .where('user_id', '=', user.id)
      .execute();
    return lock ? fail('POS_PIN_LOCKED', 'wrong_pin', { until: lock.toISOString() }) : fail('POS_PIN_INVALID', 'wrong_pin');
  }
  if (!user.active) return fail('ACCOUNT_DISABLED', 'disabled');
  const store = await trx
    .selectFrom('org')
    .select(['id', 'code', 'name'])
    .where('id', '=', terminal.store_id)
    .executeTakeFirstOrThrow();
  if (!(await userHasGrantAtStore(trx, user.id, terminal.store_id, 'pos.sale', 'create'))) {
    return fail('POS_NOT_A_CASHIER', 'not_a_cashier', { login: user.login, store: store.code });
  }
  if (cashier.failed_pins || cashier.locked_until) {
    await trx.updateTable('pos_cashier').set({ failed_pins: 0, locked_until: null }).where('user_id', '=', user.id).execute();
  }
  const session = await openSession(trx, user.id, 'bearer', origin, { label: `till:${terminal.code}`, days: TILL_SESSION_DAYS });
  await trx
    .insertInto('pos_till_session')
    .values({ session_id: session.id, terminal_id: terminal.id, store_id: terminal.store_id, user_id: user.id })
    .execute();
  await trx.updateTable('pos_terminal').set({ last_seen_at: now }).where('id', '=', terminal.id).execute();
  await recordAudit(auditCtx, {
    action: 'pos.sign_in',
    entity: 'pos_terminal',
    entityId: terminal.id,
    detail: { sessionId: session.id },
    orgId: terminal.store_id,
  });
  return {
    ok: true,
    token: session.token,
    expiresAt: session.expiresAt,
    sessionId: session.id,
    cashier: { id: user.id, login: user.login, name: user.name },
    terminal: toTerminalDto(terminal),
    store,
  };
}

/** How a till request proves where it comes from: the cashier's till session and the till's own token. */
export interface TillAuth {
  sessionId: number;
  terminalToken: string | undefined;
}

export interface Till {
  terminalId: number;
  terminalCode: string;
  storeId: number;
  receiptPrefix: string;
  cashierId: number;
}

/**
 * The till a request acts for. Identity and store come from the session only: the session must have been
 * opened on a till (tillSignIn) by the caller, the till must still be active, and the till's token (sent
 * beside the bearer token) must match, so a cashier's token alone is useless away from the till.
 */
export async function resolveTill(ctx: Ctx, auth: TillAuth): Promise<Till> {
  const row = await ctx.db
    .selectFrom('pos_till_session as s')
    .innerJoin('pos_terminal as t', 't.id', 's.terminal_id')
    .select(['s.user_id', 's.store_id', 't.id', 't.code', 't.status', 't.token_hash', 't.receipt_prefix'])
    .where('s.session_id', '=', auth.sessionId)
    .executeTakeFirst();
  checkTillRow(ctx, auth, row);
  const r = row as NonNullable<typeof row>;
  return { terminalId: r.id, terminalCode: r.code, storeId: r.store_id, receiptPrefix: r.receipt_prefix, cashierId: r.user_id };
}

/** The checks of resolveTill on a row read elsewhere (the checkout reads it in its one context query). */
export function checkTillRow(
  ctx: Ctx,
  auth: TillAuth,
  row: { user_id: number; store_id: number; status: string; token_hash: string | null } | undefined,
): void {
  if (!row || row.user_id !== ctx.actor.userId) throw new DomainError('POS_TILL_SESSION_REQUIRED');
  if (
    row.status !== 'active' ||
    !row.token_hash ||
    !auth.terminalToken ||
    !safeEqual(hashToken(auth.terminalToken), row.token_hash)
  ) {
    throw new DomainError('POS_TERMINAL_TOKEN_INVALID');
  }
  ctx.scope.assert(row.store_id, 'org', row.store_id);
}

/** A till asks for another block of receipt numbers when its current block runs low. */
export async function requestReceiptBlock(ctx: Ctx, auth: TillAuth, size?: number): Promise<ReceiptBlock> {
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.sale', 'create');
  const block = await issueReceiptBlock(ctx.db, till.terminalId, size);
  await recordAudit(ctx, {
    action: 'pos.receipt_block',
    entity: 'pos_terminal',
    entityId: till.terminalId,
    after: block,
    orgId: till.storeId,
  });
  return block;
}
