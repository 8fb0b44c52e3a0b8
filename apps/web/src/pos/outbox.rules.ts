import { dec, money, sum } from '@erp/contracts';
import type { OutboxSale, SaleRefusal } from './db';

/**
 * The outbox's rules without IndexedDB: what an upload answer does to a stored sale, when a refused sale is
 * asked about again, and how much cash the sales still on this till hold (the hand-over counts them).
 */

/** The upload endpoint's answer per sale (packages/core/src/pos/upload.service.ts UploadResult). */
export type UploadResult =
  | {
      clientId: string;
      receiptNo?: string;
      result: 'accepted' | 'duplicate';
      saleId: number;
      businessDay: string;
      /** Booked on a later open day than it was made (its own day was closed). Absent from older servers. */
      late?: boolean;
    }
  | {
      clientId: string;
      receiptNo?: string;
      result: 'queued';
      errorId: number;
      error: { code: string; params?: Record<string, unknown>; messages: { 'zh-CN': string; en: string } };
    };

/** The first re-check of a refused sale after a minute, then doubling, at most every 15 minutes. */
export const RECHECK_FIRST_MS = 60_000;
export const RECHECK_MAX_MS = 15 * 60_000;

export function recheckDelay(checks: number): number {
  return Math.min(RECHECK_FIRST_MS * 2 ** Math.max(0, checks), RECHECK_MAX_MS);
}

type Stored = Pick<OutboxSale, 'status' | 'attempts' | 'checks'>;

/** The change an upload answer makes to a stored sale. */
export function applyUploadResult(sale: Stored, res: UploadResult, now: Date): Partial<OutboxSale> {
  if (res.result === 'queued') {
    const checks = sale.status === 'refused' ? (sale.checks ?? 0) + 1 : 0;
    const refusal: SaleRefusal = {
      code: res.error.code,
      messages: res.error.messages,
      errorId: res.errorId,
      at: now.toISOString(),
    };
    return {
      status: 'refused',
      refusal,
      lastError: null,
      attempts: sale.attempts + 1,
      checks,
      nextCheckAt: now.getTime() + recheckDelay(checks),
    };
  }
  return {
    status: 'synced',
    serverSaleId: res.saleId,
    syncedAt: now.toISOString(),
    businessDay: res.businessDay,
    late: res.late === true,
    lastError: null,
    refusal: null,
    nextCheckAt: null,
  };
}

/**
 * The change a re-check makes to a refused sale: booked on the server (a person resolved it in the back
 * office) → synced; not yet → still refused, asked again later (backing off).
 */
export function applyRecheck(
  sale: Pick<OutboxSale, 'status' | 'attempts' | 'checks' | 'clientId'>,
  booked: { id: number; businessDay: string } | null,
  now: Date,
): Partial<OutboxSale> {
  if (booked) {
    return applyUploadResult(
      sale,
      { clientId: sale.clientId, result: 'duplicate', saleId: booked.id, businessDay: booked.businessDay },
      now,
    );
  }
  const checks = (sale.checks ?? 0) + 1;
  return { checks, nextCheckAt: now.getTime() + recheckDelay(checks) };
}

/** The earliest business day a sale made at `createdAt` can be booked on (a day of slack for time zones). */
export function earliestDay(createdAt: string): string {
  return new Date(new Date(createdAt).getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** Refused sales due for a re-check (all of them when the cashier asks). */
export function dueForRecheck<T extends Pick<OutboxSale, 'status' | 'nextCheckAt'>>(
  sales: T[],
  now: number,
  force: boolean,
): T[] {
  return sales.filter((s) => s.status === 'refused' && (force || (s.nextCheckAt ?? 0) <= now));
}

/** Cash a sale put in the drawer: its cash tenders less the change given. */
export function cashOf(sale: Pick<OutboxSale, 'receipt'>): string {
  const cash = sum(sale.receipt.tenders.filter((t) => t.method === 'cash').map((t) => t.amount));
  return money(cash.minus(sale.receipt.change));
}

export function cashOfAll(sales: Pick<OutboxSale, 'receipt'>[]): string {
  return money(sum(sales.map(cashOf)));
}

export interface HandoverFigures {
  expectedCash: string | null;
  deposit: string | null;
  overShort: string | null;
}

/**
 * The hand-over's figures with the cash of sales the server has not seen added to what was expected: a
 * cashier is never shown over or short by sales that are merely not uploaded yet.
 */
export function withUnsentCash(server: HandoverFigures, unsentCash: string): HandoverFigures {
  if (dec(unsentCash).isZero()) return server;
  return {
    expectedCash: server.expectedCash === null ? null : money(dec(server.expectedCash).plus(unsentCash)),
    deposit: server.deposit,
    overShort: server.overShort === null ? null : money(dec(server.overShort).minus(unsentCash)),
  };
}
