import type { Kysely } from 'kysely';
import { runStatements } from './sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `select 1`);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
