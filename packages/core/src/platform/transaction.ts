import type { DB, Kysely, Transaction } from '@erp/db';
import { type ContextInit, type Ctx, makeContext } from './context.js';

/** Runs `fn` in one transaction with a context for `init`'s actor; everything it wrote commits or nothing does. */
export async function inTransaction<T>(db: Kysely<DB>, init: ContextInit, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx: Transaction<DB>) => fn(makeContext(trx, init)));
}
