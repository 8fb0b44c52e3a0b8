import { withCheckDigit } from '@erp/contracts';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';

const getApp = useTestApp();
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('master data over HTTP', () => {
  it('creates a product with two barcodes, finds it by either, lists and exports it', async () => {
    const { call } = getApp();
    const unit = await call('admin', { method: 'POST', url: '/api/units', payload: { code: 'PING', name: '瓶' } });
    expect(unit.statusCode).toBe(201);
    const headers = { 'idempotency-key': 'create-product-0001' };
    const payload = {
      code: 'H001',
      name: '农夫山泉饮用天然水',
      spec: '550ml',
      baseUnitId: unit.json().id,
      barcodes: [{ barcode: '6921168509256' }, { barcode: 'NF-550', kind: 'internal' }],
      prices: { retail: '2.00', member: '1.80' },
    };
    const res = await call('admin', { method: 'POST', url: '/api/products', payload, headers });
    expect(res.statusCode).toBe(201);
    const replay = await call('admin', { method: 'POST', url: '/api/products', payload, headers });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const product = res.json();
    expect(product).toMatchObject({ code: 'H001', pinyin: 'nfsqyytrs', baseUnitName: '瓶' });

    for (const code of ['6921168509256', 'NF-550']) {
      const hit = await call('sa_cashier', { method: 'GET', url: `/api/products/by-barcode/${code}` });
      expect(hit.statusCode).toBe(200);
      expect(hit.json().product.id).toBe(product.id);
    }
    expect((await call('sa_cashier', { method: 'GET', url: '/api/products/by-barcode/6921168509249' })).statusCode).toBe(404);

    const list = await call('admin', { method: 'GET', url: '/api/products?q=nfsq&sort=name&order=desc&page=1&pageSize=10' });
    expect(list.json().items.map((p: { code: string }) => p.code)).toEqual(['H001']);
    const byBarcode = await call('admin', { method: 'GET', url: '/api/products?barcode=6921168509256' });
    expect(byBarcode.json().total).toBe(1);

    const xlsx = await call('admin', { method: 'GET', url: '/api/products/export?code=H00' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('商品编码');
    expect(ws.getRow(2).getCell(1).value).toBe('H001');

    const price = await call('sa_cashier', {
      method: 'GET',
      url: `/api/prices/resolve?storeId=${getApp().chain.storeA.id}&productIds=${product.id}&priceTypes=retail,member`,
    });
    expect(price.json().items[0].prices).toEqual({ retail: '2.00', member: '1.80' });
  });

  it('answers a wrong check digit with field errors in the caller language', async () => {
    const { call } = getApp();
    const zh = await call('admin', {
      method: 'POST',
      url: '/api/products',
      payload: { code: 'H002', name: '坏条码', barcodes: [{ barcode: '6921168509257' }] },
    });
    expect(zh.statusCode).toBe(400);
    expect(zh.json().code).toBe('VALIDATION_FAILED');
    expect(zh.json().errors[0].message).toContain('校验位错误');
    const en = await call('admin', {
      method: 'POST',
      url: '/api/products',
      payload: { code: 'H002', name: 'bad', barcodes: [{ barcode: '6921168509257' }] },
      headers: { 'accept-language': 'en' },
    });
    expect(en.json().errors[0].message).toContain('Wrong check digit');
    const taken = await call('admin', {
      method: 'POST',
      url: '/api/products',
      payload: { code: 'H003', name: '重复', barcodes: [{ barcode: '6921168509256' }] },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().messages['zh-CN']).toContain('已属于商品 H001');
  });

  it('imports nothing from a file with a bad row and shows the report; imports the good rows on request', async () => {
    const { call, database } = getApp();
    const tpl = await call('admin', { method: 'GET', url: '/api/imports/templates/products' });
    expect(tpl.statusCode).toBe(200);
    expect(tpl.headers['content-disposition']).toContain('.xlsx');
    const csv = [
      '商品编码,商品名称,主条码,零售价',
      `H010,可乐,${withCheckDigit('690000000010')},3`,
      'H011,雪碧,6900000000111,3',
    ].join('\n');
    const body = { kind: 'products', fileName: '商品.csv', contentBase64: b64(csv) };
    const job = await call('admin', { method: 'POST', url: '/api/imports', payload: body });
    expect(job.statusCode).toBe(201);
    expect(job.json()).toMatchObject({ status: 'rejected', badRows: 1, importedRows: 0 });
    expect(job.json().report[0]).toMatchObject({ row: 3, column: '主条码' });
    const none = await database.db.selectFrom('product').select('id').where('code', 'in', ['H010', 'H011']).execute();
    expect(none).toEqual([]);
    const good = await call('admin', { method: 'POST', url: '/api/imports', payload: { ...body, goodRowsOnly: true } });
    expect(good.json()).toMatchObject({ status: 'partial', importedRows: 1 });
    const history = await call('admin', { method: 'GET', url: '/api/imports?kind=products' });
    expect(history.json().items.map((j: { status: string }) => j.status)).toEqual(['partial', 'rejected']);
    const report = await call('admin', { method: 'GET', url: `/api/imports/${job.json().id}/report` });
    expect(report.headers['content-type']).toContain('spreadsheetml');
  });

  it('runs a price change document through approval to a scheduled price', async () => {
    const { call, chain } = getApp();
    const start = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
    const created = await call('admin', {
      method: 'POST',
      url: '/api/documents',
      payload: {
        docType: 'price_change',
        orgId: chain.hqId,
        attrs: { effectiveFrom: start },
        lines: [{ productId: chain.products.apple, unitPrice: '6.80', attrs: { priceType: 'retail' } }],
      },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    for (const action of ['submit', 'approve', 'confirm']) {
      const r = await call('admin', { method: 'POST', url: `/api/documents/${id}/transitions`, payload: { action } });
      expect(r.statusCode, action).toBe(200);
    }
    const url = (at: string) =>
      `/api/prices/resolve?storeId=${chain.storeA.id}&productIds=${chain.products.apple}&priceTypes=retail&at=${encodeURIComponent(at)}`;
    expect((await call('admin', { method: 'GET', url: url(new Date().toISOString()) })).json().items[0].prices).toEqual({});
    expect((await call('admin', { method: 'GET', url: url(start) })).json().items[0].prices).toEqual({ retail: '6.80' });
  });

  it('lets a cashier read but not write master data', async () => {
    const { call } = getApp();
    expect((await call('sa_cashier', { method: 'GET', url: '/api/products' })).statusCode).toBe(200);
    expect(
      (await call('sa_cashier', { method: 'POST', url: '/api/products', payload: { code: 'X1', name: 'x' } })).statusCode,
    ).toBe(403);
    expect(
      (await call('sa_super', { method: 'POST', url: '/api/categories', payload: { code: 'X1', name: 'x' } })).json().code,
    ).toBe('MASTER_DATA_HQ_ONLY');
  });
});
