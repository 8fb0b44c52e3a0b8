import type { DB, Transaction } from '@erp/db';
import { addDays, calendarDay, maxDay } from '../platform/clock.js';

/**
 * The logical business day (逻辑日) of an org at `at` (ORG-4): the calendar day, unless that day is already
 * closed, in which case the day after the last closed one. Nothing ever lands on a closed day.
 */
export async function currentBusinessDay(db: Transaction<DB>, orgId: number, at: Date = new Date()): Promise<string> {
  const last = await lastClosedDay(db, orgId);
  const today = calendarDay(at);
  return last ? maxDay(today, addDays(last, 1)) : today;
}

export async function lastClosedDay(db: Transaction<DB>, orgId: number): Promise<string | null> {
  const row = await db
    .selectFrom('business_day')
    .select('day')
    .where('org_id', '=', orgId)
    .orderBy('day', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.day ?? null;
}

export async function isDayClosed(db: Transaction<DB>, orgId: number, day: string): Promise<boolean> {
  const last = await lastClosedDay(db, orgId);
  return last !== null && day <= last;
}
