import type { Kysely } from 'kysely';
import { runStatements } from './sql.js';

// The ledger kit (core/platform/ledger.ts): one trigger function that makes any entries table append-only.
// A module's ledger migration adds: create trigger <t>_append_only before update or delete on <t>
//   for each row execute function append_only();
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create or replace function append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: correct it with a new entry', tg_table_name using errcode = 'P0001';
end
$$
`,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
