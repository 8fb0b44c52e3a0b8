import { isDomainError, type PriceChangeDetails } from '@erp/contracts';
import { asUser, buildTestChain, giveStock, type TestChain, useTestDatabase } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProduct } from '../catalog/index.js';
import { createDocument, getDocumentDetails, transition } from '../documents/documents.service.js';
import { updateOrg } from '../org/org.service.js';
import type { Ctx } from '../platform/context.js';
import { setPrices } from './pricing.service.js';

// The generic document view of a price change (调价单) shows its reach and, per line, old → new price and start.

const database = useTestDatabase();
let chain: TestChain;
let cola: number;
const DAY = 24 * 3600_000;

const admin = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.hqAdmin, fn);

beforeAll(async () => {
  chain = await buildTestChain(database());
  await admin(async (ctx) => {
    await updateOrg(ctx, chain.storeA.id, { region: '华东' });
    await updateOrg(ctx, chain.storeB.id, { region: '华南' });
    cola = (await createProduct(ctx, { code: 'PV1', name: '可口可乐', prices: { retail: '3.00' } })).id;
    // East China pays 2.80; store B has its own 3.50.
    await setPrices(ctx, {
      effectiveFrom: new Date(Date.now() - 30_000).toISOString(),
      prices: [
        { productId: cola, priceType: 'retail', price: '2.80', scope: 'region', region: '华东' },
        { productId: cola, priceType: 'retail', price: '3.50', scope: 'store', storeId: chain.storeB.id },
      ],
    });
  });
});

const details = (id: number) => admin(async (ctx) => (await getDocumentDetails(ctx, id)).details as PriceChangeDetails);

describe('price change view (MD-2)', () => {
  it('shows the reach and each line’s old → new price at its own level, before and after confirmation', async () => {
    const start = new Date(Date.now() + 10 * DAY).toISOString();
    const doc = await admin((ctx) =>
      createDocument(ctx, {
        docType: 'price_change',
        orgId: chain.hqId,
        attrs: { effectiveFrom: start },
        lines: [
          { productId: cola, unitPrice: '3.6', attrs: { priceType: 'retail' } },
          { productId: cola, unitPrice: '3.40', attrs: { priceType: 'retail', scope: 'region', region: '华东' } },
          { productId: cola, unitPrice: '3.30', attrs: { priceType: 'retail', scope: 'store', storeId: chain.storeB.id } },
          { productId: cola, unitPrice: '2.70', attrs: { priceType: 'retail', scope: 'store', storeId: chain.storeA.id } },
          { productId: cola, unitPrice: '2.50', attrs: { priceType: 'member', scope: 'store', storeId: chain.storeA.id } },
        ],
      }),
    );
    const expectOldToNew = (d: PriceChangeDetails) =>
      expect(d.lines.map((l) => [l.priceType, l.scope, l.region ?? l.store?.code ?? '', l.oldPrice, l.newPrice])).toEqual([
        ['retail', 'all', '', '3.00', '3.60'],
        ['retail', 'region', '华东', '2.80', '3.40'],
        ['retail', 'store', 'SB', '3.50', '3.30'],
        // store A has no own price: it paid its region's
        ['retail', 'store', 'SA', '2.80', '2.70'],
        ['member', 'store', 'SA', null, '2.50'],
      ]);
    const planned = await details(doc.id);
    expect(planned).toMatchObject({ kind: 'price_change', scheduled: false, effectiveFrom: start, effectiveTo: null });
    expect(planned.reach).toEqual({
      allStores: true,
      regions: ['华东'],
      stores: [expect.objectContaining({ id: chain.storeB.id }), expect.objectContaining({ id: chain.storeA.id })],
    });
    expectOldToNew(planned);
    expect(planned.lines.every((l) => l.effectiveFrom === start && l.productName === '可口可乐')).toBe(true);

    await admin((ctx) => transition(ctx, doc.id, 'submit'));
    await admin((ctx) => transition(ctx, doc.id, 'approve'));
    await admin((ctx) => transition(ctx, doc.id, 'confirm'));
    // Confirmed, its own rows exist from the start: "old" is still what applied before them.
    const confirmed = await details(doc.id);
    expect(confirmed).toMatchObject({ scheduled: true, effectiveFrom: start });
    expectOldToNew(confirmed);
  });

  it('a start already passed means "on confirmation": old prices are today’s', async () => {
    const doc = await admin((ctx) =>
      createDocument(ctx, {
        docType: 'price_change',
        orgId: chain.hqId,
        attrs: { effectiveFrom: new Date(Date.now() - 30 * DAY).toISOString() },
        lines: [{ productId: cola, unitPrice: '4.00', attrs: { priceType: 'retail', scope: 'region', region: '华东' } }],
      }),
    );
    // 30 days ago East China paid the base 3.00; today it pays 2.80, which is what this change replaces.
    expect((await details(doc.id)).lines.map((l) => l.oldPrice)).toEqual(['2.80']);
  });

  it('other types add nothing; another org’s document is not found', async () => {
    await giveStock(database(), chain.storeB.id, chain.storeB.warehouseId, [
      { productId: chain.products.apple, qty: '1', unitCost: '1' },
    ]);
    const inbound = await database()
      .db.selectFrom('document')
      .select('id')
      .where('doc_type', '=', 'other_inbound')
      .executeTakeFirstOrThrow();
    expect(await admin((ctx) => getDocumentDetails(ctx, inbound.id))).toEqual({ details: null });
    const e = await asUser(database(), chain.users.storeAAdmin, (ctx) => getDocumentDetails(ctx, inbound.id)).catch((err) => err);
    expect(isDomainError(e, 'NOT_FOUND')).toBe(true);
  });
});
