// Test factories of the catalog module: build fixtures through the module's real services.
import {
  type CreatePartnerCommand,
  type CreateProductCommand,
  type PartnerDto,
  type ProductDto,
  withCheckDigit,
} from '@erp/contracts';
import { type Ctx, createCategory, createPartner, createProduct } from '@erp/core';

let seq = 0;
const next = () => `${process.pid % 1000}${String(++seq).padStart(4, '0')}`;

/** A valid EAN-13 no other test fixture uses (prefix 200: in-store numbers, never a real product). */
export function uniqueEan13(): string {
  return withCheckDigit(`200${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(6, '0')}`);
}

/**
 * A product through `createProduct`, with a fresh code and barcode unless given. Pass `prices` to give it
 * base prices (in effect from the start), e.g. `{ retail: '3.50', purchase: '2.10' }`.
 */
export async function makeProduct(ctx: Ctx, input: Partial<CreateProductCommand> = {}): Promise<ProductDto> {
  const n = next();
  return createProduct(ctx, {
    code: `T${n}`,
    name: `测试商品${n}`,
    barcodes: [{ barcode: uniqueEan13() }],
    ...input,
  });
}

/** A wholesale customer (批发客户) with a credit limit. (Suppliers: `makeSupplier` in ./purchasing.ts.) */
export async function makeWholesaleCustomer(ctx: Ctx, input: Partial<CreatePartnerCommand> = {}): Promise<PartnerDto> {
  const n = next();
  return createPartner(ctx, 'customer', { code: `CUS${n}`, name: `测试批发客户${n}`, creditLimit: '10000.00', ...input });
}

/** A chain of categories, one under the other (食品 > 饮料 > 矿泉水); returns their ids top-down. */
export async function makeCategoryPath(ctx: Ctx, names: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const name of names) {
    const c = await createCategory(ctx, { parentId: ids[ids.length - 1] ?? null, code: `C${next()}`, name });
    ids.push(c.id);
  }
  return ids;
}
