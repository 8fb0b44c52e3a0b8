import type { Kysely } from 'kysely';
import { runStatements } from './sql.js';

// The store's money path on the till side (issue 9): a client id means one sale, late sales are marked,
// queued offline sales are kept exactly as sent and counted in the drawer, the close can move them on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
-- A sale client id means one sale: the fingerprint of the body the till sent for it. A replay with another
-- body is refused (POS_CLIENT_ID_REUSED). Null on sales recorded before: those replay as before.
alter table pos_sale add column client_fingerprint text
;
-- POS-8: a sale that reached the server after its own day had closed lands on the next open day, marked late.
alter table pos_sale add column late boolean not null default false
;
-- The queued sale exactly as the till sent it, as JSON text: jsonb refuses \\u0000, and a sale holding one
-- must be kept (and edited by a supervisor), not lost.
alter table pos_upload_error alter column payload type text using payload::text
;
alter table pos_upload_error add column client_fingerprint text
;
-- The hand-over counts the cash of queued sales (POS-7): their shift and the cash they left in the drawer.
alter table pos_upload_error add column shift_id uuid
;
alter table pos_upload_error add column cash_net numeric(18,2)
;
-- The day a queued sale belongs to (it blocks that day's close), and the day a supervisor moved it to.
alter table pos_upload_error add column sale_day date
;
alter table pos_upload_error add column deferred_to date
;
alter table pos_upload_error add column deferred_reason text
;
update pos_upload_error e
   set sale_day = e.created_at::date,
       shift_id = case when p.j->>'shiftId' ~ '^[0-9a-fA-F-]{36}$' then (p.j->>'shiftId')::uuid end,
       cash_net = greatest(0, p.cash - least(p.cash, greatest(0, p.paid - coalesce(p.due, p.paid))))
  from (select x.id, x.payload::jsonb as j,
               coalesce((select sum((t->>'amount')::numeric) from jsonb_array_elements(x.payload::jsonb->'tenders') t
                          where t->>'method' = 'cash'), 0) as cash,
               coalesce((select sum((t->>'amount')::numeric) from jsonb_array_elements(x.payload::jsonb->'tenders') t), 0) as paid,
               (x.payload::jsonb->>'expectedTotal')::numeric as due
          from pos_upload_error x) p
 where p.id = e.id
;
alter table pos_upload_error alter column sale_day set not null
;
create index pos_upload_error_shift_idx on pos_upload_error (shift_id) where status = 'open'
;
-- Whether the store sells lots past their expiry date (default: it does not).
alter table pos_store_settings add column sell_expired boolean not null default false
`,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
