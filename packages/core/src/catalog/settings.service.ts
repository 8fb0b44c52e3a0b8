import { DEFAULT_SCALE_SETTINGS, type ScaleBarcodeSettings, scaleBarcodeSettingsSchema } from '@erp/contracts';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { assertMasterDataWriter, type Db } from './catalog.access.js';

const SCALE_KEY = 'scale_barcode';

/** The company's weighed-goods label layout (MD-1); the default until someone saves one. */
export async function getScaleBarcodeSettings(db: Db): Promise<ScaleBarcodeSettings> {
  const row = await db.selectFrom('catalog_setting').select('value').where('key', '=', SCALE_KEY).executeTakeFirst();
  if (!row) return DEFAULT_SCALE_SETTINGS;
  const value = typeof row.value === 'string' ? JSON.parse(row.value) : row.value;
  const parsed = scaleBarcodeSettingsSchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_SCALE_SETTINGS;
}

export async function readScaleBarcodeSettings(ctx: Ctx): Promise<ScaleBarcodeSettings> {
  authorize(ctx, 'catalog_settings', 'view');
  return getScaleBarcodeSettings(ctx.db);
}

export async function updateScaleBarcodeSettings(ctx: Ctx, input: unknown): Promise<ScaleBarcodeSettings> {
  authorize(ctx, 'catalog_settings', 'edit');
  const root = await assertMasterDataWriter(ctx);
  const next = scaleBarcodeSettingsSchema.parse(input);
  const before = await getScaleBarcodeSettings(ctx.db);
  await ctx.db
    .insertInto('catalog_setting')
    .values({ key: SCALE_KEY, value: JSON.stringify(next), updated_by: ctx.actor.userId || null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_at: new Date(), updated_by: ctx.actor.userId || null }),
    )
    .execute();
  await recordAudit(ctx, { action: 'update', entity: 'catalog_setting', entityId: SCALE_KEY, before, after: next, orgId: root });
  return next;
}
