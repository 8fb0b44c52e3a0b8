import type { DemoChain } from '../demo/demo.models.js';
import type { Ctx } from '../platform/context.js';

/** Demo data of the purchasing module, created through its services. */
export async function seedPurchasingDemo(_ctx: Ctx, _chain: DemoChain): Promise<void> {}
