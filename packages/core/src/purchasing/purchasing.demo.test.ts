import { asSystem, buildTestChain, expectLedgerMatchesBalances, useTestDatabase } from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { createProduct } from '../catalog/index.js';
import type { DemoChain } from '../platform/module.js';
import { seedPurchasingDemo } from './purchasing.demo.js';

const database = useTestDatabase();

describe('purchasing demo data', () => {
  it('builds orders in every state, a receipt, a return, a self-purchase and an application through the services', async () => {
    const chain = await buildTestChain(database());
    await asSystem(database().db, async (ctx) => {
      for (const [code, name] of [
        ['D001', '矿泉水 550ml'],
        ['D002', '方便面 105g'],
        ['D003', '生抽 500ml'],
        ['D004', '大米 5kg'],
        ['D005', '洗衣液 2kg'],
      ]) {
        await createProduct(ctx, { code: code as string, name: name as string });
      }
      const demo: DemoChain = {
        companyId: chain.companyId,
        hqId: chain.hqId,
        dcId: chain.dcId,
        dcWarehouseId: chain.dcWarehouseId,
        retailCentreId: chain.retailCentreId,
        stores: [
          { id: chain.storeA.id, code: 'SA', name: '门店A', warehouseId: chain.storeA.warehouseId, franchise: false },
          { id: chain.storeB.id, code: 'SB', name: '门店B', warehouseId: chain.storeB.warehouseId, franchise: true },
        ],
      };
      await seedPurchasingDemo(ctx, demo);
    });
    const docs = await database()
      .db.selectFrom('document')
      .select(['doc_type', 'status'])
      .where('doc_type', 'in', ['purchase_order', 'purchase_receipt', 'purchase_return', 'self_purchase', 'first_operation'])
      .orderBy('id')
      .execute();
    const summary = docs.map((d) => `${d.doc_type}:${d.status}`);
    expect(summary).toEqual([
      'purchase_order:completed',
      'purchase_receipt:posted',
      'purchase_order:confirmed',
      'purchase_receipt:posted',
      'purchase_order:confirmed',
      'purchase_order:pending_approval',
      'purchase_return:posted',
      'self_purchase:posted',
      'first_operation:pending_approval',
    ]);
    const acceptance = await database().db.selectFrom('purchase_acceptance').select('id').execute();
    expect(acceptance.length).toBe(4 + 3 + 2);
    await expectLedgerMatchesBalances(database());
  });
});
