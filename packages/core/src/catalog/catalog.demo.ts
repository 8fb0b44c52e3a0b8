import type { DemoChain } from '../demo/demo.models.js';
import type { Ctx } from '../platform/context.js';
import { createProduct } from './product.service.js';

const demoProducts: [string, string, boolean][] = [
  ['100001', '农夫山泉饮用天然水 550ml', false],
  ['100002', '伊利纯牛奶 250ml', false],
  ['100003', '康师傅红烧牛肉面 105g', false],
  ['100004', '金龙鱼大米 5kg', false],
  ['100005', '海天金标生抽 500ml', false],
  ['100006', '阿莫西林胶囊 0.25g*24粒', true],
];

/** Demo master data: products (the master-data module grows this into a full catalog). */
export async function seedCatalogDemo(ctx: Ctx, _chain: DemoChain): Promise<void> {
  for (const [code, name, batchTracked] of demoProducts) await createProduct(ctx, { code, name, batchTracked });
}
