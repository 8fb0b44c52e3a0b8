import { isDomainError } from '@erp/contracts';
import {
  buildPosFixture,
  buildTestChain,
  expectLedgerMatchesBalances,
  type PosFixture,
  saleCommand,
  type TestChain,
  useTestDatabase,
} from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordSale } from './sale.service.js';

const database = useTestDatabase();
let chain: TestChain;
let f: PosFixture;

beforeAll(async () => {
  chain = await buildTestChain(database());
  f = await buildPosFixture(database(), chain);
});

async function refusal(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err) => err,
  );
  if (!e) throw new Error('expected a refusal');
  return e;
}

describe('checkout', () => {
  it('records a cash sale with change, posts stock and stores the cost of goods sold', async () => {
    const cmd = saleCommand(
      f.till,
      [
        { productId: f.products.apple, qty: '2' },
        { productId: f.products.milk, qty: '1' },
      ],
      { tenders: [{ method: 'cash', amount: '20' }] },
    );
    const sale = await f.till.run((ctx, a) => recordSale(ctx, a, cmd));
    expect(sale.status).toBe('formal');
    expect(sale.total).toBe('13.50');
    expect(sale.change).toBe('6.50');
    expect(sale.lines.map((l) => l.unitCost)).toEqual(['3.2000', '2.1000']);
    expect(sale.cogs).toBe('8.5000');
    await expectLedgerMatchesBalances(database());
    const replay = await f.till.run((ctx, a) => recordSale(ctx, a, cmd));
    expect(replay.replayed).toBe(true);
    expect(replay.id).toBe(sale.id);
  });

  it('refuses a short payment', async () => {
    const e = await refusal(
      f.till.run((ctx, a) =>
        recordSale(
          ctx,
          a,
          saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '1' }] }),
        ),
      ),
    );
    expect(isDomainError(e, 'POS_TENDER_SHORT')).toBe(true);
  });
});
