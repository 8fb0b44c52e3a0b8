import {
  type PaymentKind,
  type PaymentMethodDto,
  paymentKindLabels,
  type ReasonCodeDto,
  type ReasonUsage,
  reasonUsageLabels,
} from '@erp/contracts';
import { pick, type SimpleTable, str, strOrNull, yesNo } from '../catalog/index.js';

/** 付款方式 (MD-3): what the till accepts; `kind` drives change-giving and reconciliation. */
export const paymentMethodTable: SimpleTable<PaymentMethodDto> = {
  table: 'payment_method',
  fn: 'payment_method',
  label: { zh: '付款方式', en: 'Payment methods' },
  orderBy: 'sort',
  toDto: (r) => ({
    id: Number(r.id),
    code: str(r.code),
    name: str(r.name),
    nameEn: strOrNull(r.name_en),
    kind: r.kind as PaymentKind,
    givesChange: r.gives_change === true,
    sort: Number(r.sort ?? 0),
    active: r.active === true,
  }),
  toColumns: (c) => {
    const cols = pick(c, {
      code: 'code',
      name: 'name',
      nameEn: 'name_en',
      kind: 'kind',
      givesChange: 'gives_change',
      sort: 'sort',
      active: 'active',
    });
    // Cash gives change unless told otherwise.
    if (c.kind === 'cash' && c.givesChange === undefined) cols.gives_change = true;
    return cols;
  },
  references: [],
  exportColumns: (zh) => [
    { header: zh ? '编码' : 'Code', value: (p) => p.code },
    { header: zh ? '名称' : 'Name', value: (p) => p.name },
    { header: zh ? '英文名称' : 'English name', value: (p) => p.nameEn },
    { header: zh ? '类型' : 'Kind', value: (p) => (zh ? paymentKindLabels[p.kind].zh : paymentKindLabels[p.kind].en) },
    { header: zh ? '可找零' : 'Gives change', value: (p) => yesNo(zh)(p.givesChange) },
    { header: zh ? '排序' : 'Sort', value: (p) => p.sort },
    { header: zh ? '启用' : 'Active', value: (p) => yesNo(zh)(p.active) },
  ],
};

/** 原因代码 (MD-3): why stock was lost, found or returned; codes are unique per usage. */
export const reasonCodeTable: SimpleTable<ReasonCodeDto> = {
  table: 'reason_code',
  fn: 'reason_code',
  label: { zh: '原因代码', en: 'Reason codes' },
  scopeColumns: ['usage'],
  orderBy: 'sort',
  toDto: (r) => ({
    id: Number(r.id),
    usage: r.usage as ReasonUsage,
    code: str(r.code),
    name: str(r.name),
    nameEn: strOrNull(r.name_en),
    sort: Number(r.sort ?? 0),
    active: r.active === true,
  }),
  toColumns: (c) => pick(c, { usage: 'usage', code: 'code', name: 'name', nameEn: 'name_en', sort: 'sort', active: 'active' }),
  references: [],
  exportColumns: (zh) => [
    { header: zh ? '用途' : 'Usage', value: (r) => (zh ? reasonUsageLabels[r.usage].zh : reasonUsageLabels[r.usage].en) },
    { header: zh ? '编码' : 'Code', value: (r) => r.code },
    { header: zh ? '名称' : 'Name', value: (r) => r.name },
    { header: zh ? '英文名称' : 'English name', value: (r) => r.nameEn },
    { header: zh ? '排序' : 'Sort', value: (r) => r.sort },
    { header: zh ? '启用' : 'Active', value: (r) => yesNo(zh)(r.active) },
  ],
};
