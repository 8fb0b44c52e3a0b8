import { describe, expect, it } from 'vitest';
import { addLine, newCart, priceCart } from './cart';
import type { Cart, LocalProduct } from './db';
import {
  actionRefusal,
  cartFromServerSale,
  changeFor,
  discountCheck,
  discountTag,
  lineForProduct,
  moveSelection,
  notice,
  noticeText,
  openSaleBody,
  parseScanInput,
  payMethodOf,
  saleDisplay,
  selectedLine,
  unresolvedScan,
  withAuthorization,
} from './sale.rules';
import type { ServerSale } from './store';

const water: LocalProduct = {
  id: 1,
  code: 'P001',
  name: '农夫山泉 550ml',
  spec: '550ml',
  pinyin: 'nfsq',
  unit: '瓶',
  categoryId: null,
  weighed: 0,
  scaleCode: null,
  sellable: 1,
  prescription: 0,
  batchTracked: 0,
};
const hit = { product: water, price: '2.00', memberPrice: null, barcode: '6921168509256' };
const today = '2025-06-01';

function cartOf(...lines: { qty: string; unitPrice?: string; discount?: Cart['lines'][number]['discount'] }[]): Cart {
  let c = newCart();
  lines.forEach((l, i) => {
    c = addLine(c, {
      productId: i + 1,
      code: `P00${i + 1}`,
      name: `商品${i + 1}`,
      spec: '',
      unit: null,
      qty: l.qty,
      unitPrice: l.unitPrice ?? '5.00',
      ...(l.discount ? { discount: l.discount } : {}),
    }).cart;
  });
  return c;
}

describe('scanning', () => {
  it('reads a quantity typed in front of the code, and nothing from an empty field', () => {
    expect(parseScanInput('  6921168509256 ')).toEqual({ code: '6921168509256', qty: undefined });
    expect(parseScanInput('3*6921168509256')).toEqual({ code: '6921168509256', qty: '3' });
    expect(parseScanInput('1.5* P001')).toEqual({ code: 'P001', qty: '1.5' });
    expect(parseScanInput('0*6921168509256')).toEqual({ code: '6921168509256', qty: undefined });
    expect(parseScanInput('   ')).toBeNull();
  });

  it('adds a line at the store price, one by default, and says what was added', () => {
    const r = lineForProduct(hit, { today, sellExpired: false });
    expect(r.ok && r.line).toMatchObject({ productId: 1, qty: '1.000', unitPrice: '2.00', barcode: '6921168509256' });
    expect(r.ok && noticeText(r.notice, 'zh-CN')).toBe('农夫山泉 550ml × 1');
    const three = lineForProduct(hit, { qty: '3', today, sellExpired: false });
    expect(three.ok && three.line.qty).toBe('3.000');
  });

  it('says weighed goods by weight and a GS1 lot by its number', () => {
    const weighed = lineForProduct(
      { ...hit, qty: '0.512', label: { kind: 'weight', value: '0.512' } },
      { today, sellExpired: false },
    );
    expect(weighed.ok && weighed.line).toMatchObject({ qty: '0.512', weighed: true });
    expect(weighed.ok && noticeText(weighed.notice, 'en')).toBe('Weighed 农夫山泉 550ml 0.512 kg');
    const lot = lineForProduct({ ...hit, lotNo: 'L2406', expiry: '2025-12-31' }, { today, sellExpired: false });
    expect(lot.ok && lot.line).toMatchObject({ lotNo: 'L2406', expiry: '2025-12-31' });
    expect(lot.ok && noticeText(lot.notice, 'zh-CN')).toBe('农夫山泉 550ml × 1 · 批号 L2406');
  });

  it('refuses what is not sold here, has no price here, or is a lot past its expiry unless the store sells those', () => {
    const refused = (r: ReturnType<typeof lineForProduct>) => (r.ok ? null : noticeText(r.notice, 'zh-CN'));
    expect(refused(lineForProduct({ ...hit, product: { ...water, sellable: 0 } }, { today, sellExpired: false }))).toBe(
      '农夫山泉 550ml 本店不经营或已停售',
    );
    expect(refused(lineForProduct({ ...hit, price: null }, { today, sellExpired: false }))).toBe(
      '农夫山泉 550ml 在本店没有零售价，不能销售',
    );
    const expired = { ...hit, lotNo: 'L2301', expiry: '2025-05-31' };
    expect(refused(lineForProduct(expired, { today, sellExpired: false }))).toBe(
      '农夫山泉 550ml 批号 L2301 已于 2025-05-31 过期，不可销售',
    );
    expect(lineForProduct(expired, { today, sellExpired: true }).ok).toBe(true);
  });

  it('opens the search for a typed name, and says a barcode or a GS1 code it cannot place', () => {
    expect(unresolvedScan({ kind: 'none' }, 'nfsq')).toEqual({ kind: 'search', text: 'nfsq' });
    const unknown = unresolvedScan({ kind: 'none' }, '6900000000000');
    expect(unknown.kind === 'notice' && noticeText(unknown.notice, 'en')).toBe('No product: 6900000000000');
    const gs1 = unresolvedScan({ kind: 'gs1-invalid', error: { zh: '校验位错误', en: 'bad check digit' } }, '01x');
    expect(gs1.kind === 'notice' && noticeText(gs1.notice, 'zh-CN')).toBe('无法识别的 GS1 码：校验位错误');
    expect(gs1.kind === 'notice' && noticeText(gs1.notice, 'en')).toContain('bad check digit');
  });
});

describe('the lines', () => {
  it('selects the last line when none is, and moves within the lines with the arrows', () => {
    const c = cartOf({ qty: '1' }, { qty: '2' }, { qty: '3' });
    const [a, b, last] = c.lines.map((l) => l.key);
    expect(selectedLine(c, null)?.key).toBe(last);
    expect(selectedLine(c, a ?? null)?.key).toBe(a);
    expect(moveSelection(c.lines, null, 'up')).toBe(b);
    expect(moveSelection(c.lines, a ?? null, 'up')).toBe(a);
    expect(moveSelection(c.lines, b ?? null, 'down')).toBe(last);
    expect(moveSelection(c.lines, last ?? null, 'down')).toBe(last);
    expect(moveSelection([], 7, 'down')).toBe(7);
  });

  it('tags a manual discount as the cashier gave it', () => {
    expect(discountTag({ kind: 'percent', value: '10' })).toBe('-10%');
    expect(discountTag({ kind: 'price', value: '4.00' })).toBe('→4.00');
    expect(discountTag({ kind: 'amount', value: '1.00' })).toBe('-1.00');
  });

  it('shows the customer the lines as priced, the total and the savings', () => {
    const c = cartOf({ qty: '2', discount: { kind: 'percent', value: '10' } }, { qty: '1', unitPrice: '3.50' });
    const m = saleDisplay(c, priceCart(c), '一号店');
    expect(m).toEqual({
      kind: 'sale',
      store: '一号店',
      lines: [
        { name: '商品1', qty: '2', amount: '9.00' },
        { name: '商品2', qty: '1', amount: '3.50' },
      ],
      total: '12.50',
      savings: '1.00',
    });
  });
});

describe("discounts within the cashier's limit (AUTH-4)", () => {
  const tenPercent = cartOf({ qty: '1', discount: { kind: 'percent', value: '10' } });
  const twentyPercent = cartOf({ qty: '1', discount: { kind: 'percent', value: '20' } });

  it('stand on the own limit; beyond it a supervisor must authorise the rate', () => {
    expect(discountCheck(tenPercent, priceCart(tenPercent), '10')).toEqual({ kind: 'allowed' });
    expect(discountCheck(twentyPercent, priceCart(twentyPercent), '10')).toEqual({ kind: 'beyond', rate: '20' });
  });

  it('stand on the authorisation the sale already has, up to its rate', () => {
    const authorized = withAuthorization(twentyPercent, '20', { kind: 'online', id: 'a-1', supervisorName: '店长', rate: '20' });
    expect(authorized).toMatchObject({ authorizedRate: '20', authorizationId: 'a-1', offlineAuthorization: null });
    expect(discountCheck(authorized, priceCart(authorized), '10')).toEqual({ kind: 'allowed' });
    const more = cartOf({ qty: '1', discount: { kind: 'percent', value: '30' } });
    expect(discountCheck({ ...more, authorizedRate: '20' }, priceCart(more), '10')).toEqual({ kind: 'beyond', rate: '30' });
  });

  it('keep an offline authorisation for the server to check again', () => {
    const offline = { supervisorId: 7, purpose: 'discount' as const, at: '2025-06-01T10:00:00Z', maxDiscountRate: '20' };
    const a = withAuthorization(twentyPercent, '20', { kind: 'offline', offline, supervisorName: '店长' });
    expect(a).toMatchObject({ authorizationId: null, offlineAuthorization: offline });
  });

  it('refuse a discount the pipeline cannot apply', () => {
    const impossible = cartOf({ qty: '1', discount: { kind: 'amount', value: '9.00' } });
    expect(discountCheck(impossible, priceCart(impossible), '100')).toEqual({ kind: 'invalid' });
  });
});

describe("the screen's actions", () => {
  const now = { hasLines: true, serverReachable: true, pricingError: false };

  it('line actions, holding and paying need lines', () => {
    for (const a of [
      'qty',
      'void_line',
      'line_discount',
      'price_override',
      'sale_discount',
      'hold',
      'pay',
      'pay_cash',
    ] as const) {
      expect(actionRefusal(a, { ...now, hasLines: false })).toMatchObject({ key: 'msg.emptyCart', tone: 'error' });
      expect(actionRefusal(a, now)).toBeNull();
    }
  });

  it('resuming, returns, signing out and handing over wait until the current sale is finished', () => {
    for (const a of ['resume', 'return', 'sign_out', 'handover'] as const) {
      expect(actionRefusal(a, now)).toMatchObject({ key: 'msg.finishFirst', tone: 'error' });
      expect(actionRefusal(a, { ...now, hasLines: false })).toBeNull();
    }
  });

  it('a return needs the server; paying needs a sale the pipeline can price', () => {
    expect(actionRefusal('return', { ...now, hasLines: false, serverReachable: false })).toMatchObject({ key: 'msg.needOnline' });
    expect(actionRefusal('pay_mobile', { ...now, pricingError: true })).toMatchObject({ key: 'msg.discountError' });
    expect(actionRefusal('member', now)).toMatchObject({ key: 'msg.memberLater', tone: 'info' });
    for (const a of ['search', 'reprint', 'open_drawer', 'void_sale', 'recent', 'customer_display'] as const) {
      expect(actionRefusal(a, { ...now, hasLines: false })).toBeNull();
    }
  });

  it('the pay keys open the payment on their tender', () => {
    expect([payMethodOf('pay'), payMethodOf('pay_cash'), payMethodOf('pay_card'), payMethodOf('pay_mobile')]).toEqual([
      undefined,
      'cash',
      'bank_card',
      'mobile',
    ]);
  });
});

describe('the sale on the server while it is paid or parked (POS-2)', () => {
  it('records the lines as the till priced them, with the shift only for a sale being paid', () => {
    const c = {
      ...cartOf({ qty: '2', discount: { kind: 'percent', value: '10' } }),
      receiptNo: 'S001-01-00000042',
      authorizationId: 'a-1',
      saleDiscount: { kind: 'amount' as const, value: '1.00' },
    };
    const body = openSaleBody(c, 'temporary', 'shift-1');
    expect(body).toMatchObject({
      clientId: c.clientId,
      receiptNo: 'S001-01-00000042',
      status: 'temporary',
      shiftId: 'shift-1',
      lines: [{ productId: 1, qty: '2.000', unitPrice: '5.00', discount: { kind: 'percent', value: '10' } }],
      saleDiscount: { kind: 'amount', value: '1.00' },
      authorizationId: 'a-1',
      tenders: [],
    });
    expect(openSaleBody(c, 'held', 'shift-1')).not.toHaveProperty('shiftId');
  });

  it('brings a crash-left sale back under its client id and receipt number, named from the local catalog', () => {
    const s = {
      clientId: 'c-1',
      receiptNo: 'S001-01-00000007',
      lines: [
        { productId: 1, qty: '2', basePrice: '2.00' },
        { productId: 99, qty: '1', basePrice: '8.00' },
      ],
    } as ServerSale;
    const c = cartFromServerSale(s, [water, undefined]);
    expect(c).toMatchObject({ clientId: 'c-1', receiptNo: 'S001-01-00000007', postedAs: 'temporary' });
    expect(c.lines.map((l) => [l.code, l.name, l.qty, l.unitPrice])).toEqual([
      ['P001', '农夫山泉 550ml', '2.000', '2.00'],
      ['99', '99', '1.000', '8.00'],
    ]);
  });

  it('gives change from what the tenders paid beyond the total', () => {
    expect(changeFor('12.50', [{ method: 'cash', amount: '20.00' }])).toBe('7.50');
    expect(changeFor('12.50', [{ method: 'bank_card', amount: '12.50' }])).toBe('0.00');
  });
});

describe('notices', () => {
  it('are worded when shown, in the language of the moment, a server reason included', () => {
    const n = notice('refused.notice', 'error', { receiptNo: 'R1', reason: { 'zh-CN': '价格不符', en: 'price differs' } });
    expect(noticeText(n, 'zh-CN')).toContain('价格不符');
    expect(noticeText(n, 'en')).toContain('price differs');
    expect(noticeText(notice('msg.voided'), 'zh-CN')).toBe('已取消整单');
  });
});
