import {
  asSystem,
  buildTestChain,
  expectLedgerMatchesBalances,
  makeConfirmedPurchaseOrder,
  makeSupplier,
  useTestDatabase,
} from '@erp/test-kit';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { createProduct } from '../catalog/index.js';
import { transition } from '../documents/index.js';
import type { Ctx } from '../platform/context.js';
import { createReceipt } from './receipt.service.js';

const database = useTestDatabase();

class CountStatements implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const LINES = 200;

describe('purchasing round trips', () => {
  it(`posting a ${LINES}-line receipt against an order takes a bounded number of statements, not one per line`, async () => {
    const chain = await buildTestChain(database());
    const { poId } = await asSystem(database().db, async (ctx) => {
      const supplier = await makeSupplier(ctx, { code: 'PERF-SUP', name: '性能供应商' });
      const ids: number[] = [];
      for (let i = 0; i < LINES; i++)
        ids.push(
          (await createProduct(ctx, { code: `PF${String(i).padStart(4, '0')}`, name: `商品${i}`, batchTracked: i % 2 === 0 })).id,
        );
      const po = await makeConfirmedPurchaseOrder(ctx, {
        orgId: chain.dcId,
        warehouseId: chain.dcWarehouseId,
        supplierId: supplier,
        lines: ids.map((productId, i) => ({ productId, qty: String(10 + i), unitPrice: '2.5' })),
      });
      return { poId: po.id };
    });
    const receiptId = await asSystem(database().db, async (ctx) => {
      const po = await ctx.db
        .selectFrom('document_line')
        .select(['id', 'product_id', 'qty'])
        .where('document_id', '=', poId)
        .orderBy('line_no')
        .execute();
      const r = await createReceipt(ctx, {
        orgId: chain.dcId,
        purchaseOrderId: poId,
        lines: po.map((l, i) => ({
          purchaseOrderLineId: l.id,
          productId: l.product_id as number,
          qty: l.qty,
          lotNo: `L${i}`,
          expiryDate: '2030-01-01',
        })),
      });
      return r.id;
    });
    const counter = new CountStatements();
    const started = performance.now();
    const posted = await asSystem(database().db, (ctx) =>
      transition({ ...ctx, db: ctx.db.withPlugin(counter) } as Ctx, receiptId, 'confirm'),
    );
    const ms = performance.now() - started;
    console.log(
      `[perf] ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}: confirm+post of a ${LINES}-line receipt: ${counter.count} statements, ${ms.toFixed(0)} ms`,
    );
    expect(posted.status).toBe('posted');
    expect(counter.count).toBeLessThan(60);
    await expectLedgerMatchesBalances(database());
  }, 300_000);
});
