import type { DemoChain } from '../demo/demo.models.js';
import type { Ctx } from '../platform/context.js';

/** Demo data of the pos module, created through its services. */
export async function seedPosDemo(_ctx: Ctx, _chain: DemoChain): Promise<void> {}
