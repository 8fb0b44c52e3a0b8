import { dec, type PriceType, withCheckDigit } from '@erp/contracts';
import { createDocument, transition } from '../documents/documents.service.js';
import { createPartner, paymentMethodTable, reasonCodeTable } from '../partners/index.js';
import type { Ctx } from '../platform/context.js';
import type { DemoChain } from '../platform/module.js';
import { type DemoLeaf, type DemoSpec, demoPartners, demoTree, demoUnits } from './catalog.demo-data.js';
import { createCategory } from './category.service.js';
import { insertPriceRows, type NewPriceRow, PRICE_EPOCH } from './price-rows.js';
import {
  type BulkBarcodeRow,
  type BulkProductRow,
  bulkUpsertBarcodes,
  bulkUpsertProducts,
  bulkUpsertProductUnits,
} from './product.bulk.js';
import { createSimple } from './simple-master.js';
import { setStoreCatalog } from './store-catalog.service.js';
import { brandTable, unitTable } from './units-brands.js';

/** Spec n of an item costs this many times the first (bigger packs cost more, a little less per unit). */
const SPEC_FACTOR = [1, 1.8, 3.2, 5.5];

function roundPrice(v: number, step = '0.1'): string {
  const r = dec(v).dividedBy(step).round().times(step);
  return (r.isZero() ? dec(step) : r).toFixed(2);
}

interface DemoProduct {
  row: BulkProductRow;
  leaf: DemoLeaf;
  /** The pack unit of this spec (箱 of 24 …), if it has one. */
  pack: [string, number] | undefined;
  brand: string;
  retail: string;
  barcode: string | null;
  packBarcode: string | null;
}

/**
 * Demo master data (MD-1…MD-3) through the module's own services, deterministic and quick (a few seconds):
 * units, a 3-level category tree, brands, suppliers/manufacturers/customers, payment methods, reason
 * codes, 800+ products with valid EAN-13 barcodes (weighed fresh goods with scale codes instead), pack
 * units, prices for every type with a few region/store overrides, two price-change documents, and the
 * franchise store's assortment (it sells no medicines).
 */
export async function seedCatalogDemo(ctx: Ctx, chain: DemoChain): Promise<void> {
  const unitIds = new Map<string, number>();
  for (const [code, name, en] of demoUnits)
    unitIds.set(name, (await createSimple(ctx, unitTable, { code, name, nameEn: en })).id);

  const partnerIds = new Map<string, number>();
  for (const [code, name, kind, contact, phone, address] of demoPartners) {
    const p = await createPartner(ctx, kind, {
      code,
      name,
      contact: contact || null,
      phone,
      address,
      ...(kind === 'supplier' ? { paymentTermsDays: code === 'S-XSC' ? 7 : 30 } : {}),
      ...(kind === 'customer'
        ? { creditLimit: code === 'C-BLDL' ? '20000.00' : '100000.00', priceType: 'wholesale' as const }
        : {}),
    });
    partnerIds.set(code, p.id);
  }

  const payments: [string, string, string, 'cash' | 'card' | 'mobile' | 'stored_value' | 'voucher'][] = [
    ['CASH', '现金', 'Cash', 'cash'],
    ['CARD', '银行卡', 'Bank card', 'card'],
    ['WECHAT', '微信支付', 'WeChat Pay', 'mobile'],
    ['ALIPAY', '支付宝', 'Alipay', 'mobile'],
    ['SVC', '储值卡', 'Stored-value card', 'stored_value'],
    ['VOUCHER', '代金券', 'Voucher', 'voucher'],
  ];
  for (const [i, [code, name, nameEn, kind]] of payments.entries()) {
    await createSimple(ctx, paymentMethodTable, { code, name, nameEn, kind, sort: (i + 1) * 10 });
  }
  const reasons: ['loss' | 'overage' | 'return', string, string, string][] = [
    ['loss', 'EXPIRED', '过期', 'Expired'],
    ['loss', 'DAMAGED', '破损', 'Damaged'],
    ['loss', 'SPOILED', '变质', 'Spoiled'],
    ['loss', 'THEFT', '被盗', 'Theft'],
    ['overage', 'COUNT', '盘盈', 'Found in count'],
    ['overage', 'GIFT', '厂家赠品', 'Supplier gift'],
    ['return', 'QUALITY', '质量问题', 'Quality problem'],
    ['return', 'NEAR_EXPIRY', '临期退货', 'Near expiry'],
    ['return', 'CUSTOMER', '顾客退货', 'Customer return'],
  ];
  for (const [i, [usage, code, name, nameEn]] of reasons.entries()) {
    await createSimple(ctx, reasonCodeTable, { usage, code, name, nameEn, sort: (i + 1) * 10 });
  }

  // Categories: three levels, codes by level (01 / 0101 / 010101).
  const categoryIds = new Map<string, number>();
  for (const branch of demoTree) {
    const b = await createCategory(ctx, { code: branch.code, name: branch.name, nameEn: branch.nameEn });
    categoryIds.set(branch.code, b.id);
    for (const child of branch.children) {
      const c = await createCategory(ctx, { parentId: b.id, code: child.code, name: child.name, nameEn: child.nameEn });
      categoryIds.set(child.code, c.id);
      for (const leaf of child.leaves) {
        categoryIds.set(leaf.code, (await createCategory(ctx, { parentId: c.id, code: leaf.code, name: leaf.name })).id);
      }
    }
  }

  // Brands in order of first appearance.
  const brandIds = new Map<string, number>();
  const brandNo = new Map<string, number>();
  for (const branch of demoTree)
    for (const child of branch.children)
      for (const leaf of child.leaves)
        for (const [brand] of leaf.items) {
          if (!brand || brandIds.has(brand)) continue;
          brandNo.set(brand, brandIds.size + 1);
          const code = `B${String(brandIds.size + 1).padStart(3, '0')}`;
          brandIds.set(brand, (await createSimple(ctx, brandTable, { code, name: brand })).id);
        }

  // Products, per branch numbered 100001…, 200001…; inserted round-robin across branches so that any
  // prefix of ids (the inventory demo stocks the first 200) holds every kind of goods.
  const perBranch: DemoProduct[][] = demoTree.map(() => []);
  let scaleCode = 0;
  let itemNo = 0;
  demoTree.forEach((branch, bi) => {
    for (const child of branch.children)
      for (const leaf of child.leaves)
        for (const [brand, stem, specs, price] of leaf.items)
          for (const [vi, variant] of (leaf.variants ?? ['']).entries())
            for (const [si, spec] of specs.entries()) {
              itemNo++;
              const list = perBranch[bi] as DemoProduct[];
              const code = `${bi + 1}${String(list.length + 1).padStart(5, '0')}`;
              const name = demoProductName(brand, stem, variant);
              const { text: specText, unit, pack } = specOf(leaf, spec);
              const retail = roundPrice(price * (SPEC_FACTOR[si] ?? 1) * (1 + (vi % 3) * 0.05));
              const maker = leaf.maker ?? (brand === '联邦' ? 'M-LB' : undefined);
              const supplier = leaf.supplier ?? (leaf.weighed ? 'S-XSC' : undefined);
              const bNo = brandNo.get(brand) ?? 0;
              const barcode = leaf.weighed
                ? null
                : withCheckDigit(`69${String(20000 + bNo * 37).slice(-5)}${String(itemNo).padStart(5, '0')}`);
              const hasPack = !!pack && !leaf.weighed;
              list.push({
                leaf,
                pack: hasPack ? pack : undefined,
                brand,
                retail,
                barcode,
                packBarcode:
                  hasPack && itemNo % 3 === 0
                    ? withCheckDigit(`69${String(20000 + bNo * 37).slice(-5)}${String(50000 + itemNo)}`)
                    : null,
                row: {
                  code,
                  name,
                  spec: specText === '散称' ? '散称/千克' : specText,
                  baseUnitId: unitIds.get(unit) ?? null,
                  categoryId: categoryIds.get(leaf.code) ?? null,
                  brandId: brand ? (brandIds.get(brand) ?? null) : null,
                  manufacturerId: maker ? (partnerIds.get(maker) ?? null) : null,
                  defaultSupplierId: supplier ? (partnerIds.get(supplier) ?? null) : null,
                  taxRate: leaf.taxRate ?? '13',
                  batchTracked: leaf.batchTracked ?? false,
                  shelfLifeDays: leaf.shelfLifeDays ?? null,
                  minRequisitionQty: hasPack ? String(pack?.[1]) : leaf.weighed ? '5' : null,
                  weighed: leaf.weighed ?? false,
                  scaleCode: leaf.weighed ? String(++scaleCode) : null,
                  prescription: leaf.prescription ?? false,
                  // The chain sells these in stores but does not let stores order them from the DC.
                  bannedFromRequisition: Number(price) >= 500,
                  notCarried: itemNo % 131 === 0,
                  discontinued: itemNo % 97 === 0,
                  origin: leaf.weighed ? '国产' : null,
                },
              });
            }
  });
  const ordered: DemoProduct[] = [];
  for (let i = 0; ordered.length < perBranch.reduce((n, l) => n + l.length, 0); i++) {
    for (const list of perBranch) if (list[i]) ordered.push(list[i] as DemoProduct);
  }
  const { ids } = await bulkUpsertProducts(
    ctx,
    ordered.map((p) => p.row),
    { demo: true },
  );
  const idOf = (p: DemoProduct) => ids.get(p.row.code) as number;
  await bulkUpsertProductUnits(
    ctx,
    ordered
      .filter((p) => p.pack)
      .map((p) => ({
        productId: idOf(p),
        unitId: unitIds.get(p.pack?.[0] ?? '') as number,
        factor: String(p.pack?.[1]),
      })),
  );
  const barcodes: BulkBarcodeRow[] = [];
  for (const p of ordered) {
    if (p.barcode) barcodes.push({ barcode: p.barcode, productId: idOf(p), kind: 'ean13', unitId: null, isPrimary: true });
    if (p.packBarcode) {
      barcodes.push({
        barcode: p.packBarcode,
        productId: idOf(p),
        kind: 'ean13',
        unitId: unitIds.get(p.pack?.[0] ?? '') ?? null,
        isPrimary: false,
      });
    }
  }
  await bulkUpsertBarcodes(ctx, barcodes, { demo: true });

  // Prices: every type for every product, in effect from the start.
  const ratio: Record<PriceType, number> = { retail: 1, member: 0.95, wholesale: 0.88, distribution: 0.8, purchase: 0.7 };
  const prices: NewPriceRow[] = [];
  for (const p of ordered) {
    for (const type of Object.keys(ratio) as PriceType[]) {
      const value = type === 'retail' ? p.retail : roundPrice(Number(p.retail) * ratio[type], type === 'member' ? '0.1' : '0.01');
      prices.push(initial(idOf(p), type, value, ctx));
    }
  }
  // Overrides: the region's member prices on drinks, store S001's own retail prices, the franchise
  // store's retail prices (it sets its own, a little higher).
  const drinks = ordered.filter((p) => p.leaf.code.startsWith('0101')).slice(0, 12);
  for (const p of drinks) {
    prices.push({ ...initial(idOf(p), 'member', roundPrice(Number(p.retail) * 0.9), ctx), scope: 'region', region: '华东' });
  }
  const s001 = chain.stores.find((s) => s.code === 'S001');
  const franchise = chain.stores.find((s) => s.franchise);
  if (s001) {
    for (const p of ordered.slice(0, 10)) {
      prices.push({ ...initial(idOf(p), 'retail', roundPrice(Number(p.retail) * 0.95), ctx), scope: 'store', storeId: s001.id });
    }
  }
  if (franchise) {
    for (const p of ordered.filter((x) => x.leaf.code.startsWith('01')).slice(0, 30)) {
      prices.push({
        ...initial(idOf(p), 'retail', roundPrice(Number(p.retail) * 1.08), ctx),
        scope: 'store',
        storeId: franchise.id,
      });
    }
    // 门店基础资料: the franchise store has no pharmacy licence.
    const allowed = demoTree.filter((b) => b.code !== '04').map((b) => categoryIds.get(b.code) as number);
    await setStoreCatalog(ctx, franchise.id, { categoryIds: allowed });
  }
  await insertPriceRows(ctx.db, prices);

  // Price changes: one approved and scheduled for next Monday, one waiting for approval.
  const monday = nextMonday();
  const snacks = ordered.filter((p) => p.leaf.code.startsWith('0102')).slice(0, 5);
  const scheduled = await createDocument(ctx, {
    docType: 'price_change',
    orgId: chain.hqId,
    remarks: '休闲食品周末促销调价 / snack price change',
    attrs: { effectiveFrom: monday.toISOString() },
    lines: snacks.map((p) => ({
      productId: idOf(p),
      unitPrice: roundPrice(Number(p.retail) * 0.9),
      attrs: { priceType: 'retail' },
    })),
  });
  await transition(ctx, scheduled.id, 'submit');
  await transition(ctx, scheduled.id, 'approve');
  await transition(ctx, scheduled.id, 'confirm');
  const oils = ordered.filter((p) => p.leaf.code === '010302').slice(0, 4);
  const pending = await createDocument(ctx, {
    docType: 'price_change',
    orgId: chain.hqId,
    remarks: '食用油进价上调 / cooking-oil cost increase',
    attrs: { effectiveFrom: monday.toISOString() },
    lines: oils.flatMap((p) => [
      { productId: idOf(p), unitPrice: roundPrice(Number(p.retail) * 0.75, '0.01'), attrs: { priceType: 'purchase' } },
      { productId: idOf(p), unitPrice: roundPrice(Number(p.retail) * 1.05), attrs: { priceType: 'retail' } },
    ]),
  });
  await transition(ctx, pending.id, 'submit');
}

/**
 * A product's name: brand, product and variant ("康师傅方便面（红烧牛肉）"). A product already named after its
 * brand keeps its own name ("可口可乐", not "可口可乐可口可乐"); a product without a brand (fresh goods) is
 * its own name.
 */
export function demoProductName(brand: string, stem: string, variant = ''): string {
  const base = !brand || stem.startsWith(brand) ? stem : `${brand}${stem}`;
  return variant ? `${base}（${variant}）` : base;
}

/** A spec as the shelf sells it: its text, its base unit (the leaf's unless the spec says) and its pack unit. */
function specOf(leaf: DemoLeaf, spec: DemoSpec): { text: string; unit: string; pack: [string, number] | undefined } {
  if (typeof spec === 'string') return { text: spec, unit: leaf.unit, pack: leaf.pack };
  return { text: spec[0], unit: spec[1], pack: spec[2] };
}

function initial(productId: number, priceType: PriceType, price: string, ctx: Ctx): NewPriceRow {
  return {
    productId,
    priceType,
    scope: 'all',
    region: null,
    storeId: null,
    price,
    effectiveFrom: PRICE_EPOCH,
    effectiveTo: null,
    source: 'initial',
    sourceDocumentId: null,
    createdBy: ctx.actor.userId || null,
  };
}

/** Next Monday 00:00 in China (UTC+8), at least a day away. */
function nextMonday(): Date {
  const now = new Date(Date.now() + 8 * 3600_000);
  const days = ((8 - now.getUTCDay()) % 7 || 7) + 0;
  const d = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days);
  return new Date(d - 8 * 3600_000);
}
