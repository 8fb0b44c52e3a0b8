import { z } from 'zod';
import { id, moneyString, pageOf, pageQuery } from '../common.js';
import { entity } from '../fields.js';
import { text as cleanText } from '../validation.js';
import { PRICE_TYPES } from './pricing.js';
import { masterCode, queryBool } from './shared.js';

/** Business partners (MD-3): suppliers (供应商), wholesale customers (批发客户) and manufacturers (生产厂家). */
export const PARTNER_KINDS = ['supplier', 'customer', 'manufacturer'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export const partnerKindLabels = {
  supplier: { zh: '供应商', en: 'Supplier' },
  customer: { zh: '批发客户', en: 'Wholesale customer' },
  manufacturer: { zh: '生产厂家', en: 'Manufacturer' },
} as const;

const text = (max: number) => cleanText().trim().max(max).nullable().optional();

const partnerFields = {
  name: cleanText().trim().min(1).max(100),
  shortName: text(50),
  contact: text(50),
  phone: text(50),
  email: z.email().max(100).nullable().optional(),
  address: text(200),
  /** 税号 */
  taxNo: text(50),
  bankName: text(100),
  bankAccount: text(50),
  /** Business licence / GSP certificate number. */
  licenseNo: text(100),
  /** Suppliers: days of credit (账期). */
  paymentTermsDays: z.number().int().min(0).max(3650).nullable().optional(),
  /** Customers: credit limit (信用额度); null = no credit. */
  creditLimit: moneyString.nullable().optional(),
  /** Customers: the price type their orders use (normally wholesale). */
  priceType: z.enum(PRICE_TYPES).nullable().optional(),
  remarks: text(500),
};

/** Suppliers, customers and manufacturers share these schemas; each kind's routes name their entity (供应商编码…). */
export const createPartnerBody = entity(
  'partner',
  z.object({
    code: masterCode,
    /** The org that owns the record; omitted = the company (HQ master data). A franchise store may own its own. */
    orgId: id.optional(),
    ...partnerFields,
  }),
);
export type CreatePartnerCommand = z.input<typeof createPartnerBody>;

export const updatePartnerBody = entity(
  'partner',
  z.object({
    version: z.number().int().positive(),
    ...partnerFields,
    name: partnerFields.name.optional(),
    active: z.boolean().optional(),
  }),
);
export type UpdatePartnerCommand = z.input<typeof updatePartnerBody>;

export const partnerListQuery = pageQuery.extend({ orgId: id.optional(), active: queryBool.optional() });
export type PartnerListQuery = z.infer<typeof partnerListQuery>;

export const partnerDto = z.object({
  id: z.number(),
  kind: z.enum(PARTNER_KINDS),
  code: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  pinyin: z.string(),
  orgId: z.number(),
  contact: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  taxNo: z.string().nullable(),
  bankName: z.string().nullable(),
  bankAccount: z.string().nullable(),
  licenseNo: z.string().nullable(),
  paymentTermsDays: z.number().nullable(),
  creditLimit: z.string().nullable(),
  priceType: z.enum(PRICE_TYPES).nullable(),
  remarks: z.string().nullable(),
  active: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PartnerDto = z.infer<typeof partnerDto>;
export const partnerPage = pageOf(partnerDto);

// ---- payment methods (付款方式) and reason codes (原因代码)

export const PAYMENT_KINDS = ['cash', 'card', 'mobile', 'stored_value', 'voucher', 'other'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];
export const paymentKindLabels = {
  cash: { zh: '现金', en: 'Cash' },
  card: { zh: '银行卡', en: 'Bank card' },
  mobile: { zh: '移动支付', en: 'Mobile payment' },
  stored_value: { zh: '储值卡', en: 'Stored value' },
  voucher: { zh: '代金券', en: 'Voucher' },
  other: { zh: '其他', en: 'Other' },
} as const;

export const paymentMethodBody = entity(
  'paymentMethod',
  z.object({
    code: masterCode,
    name: cleanText().trim().min(1).max(50),
    nameEn: text(100),
    kind: z.enum(PAYMENT_KINDS),
    /** Cash gives change; other kinds normally do not. */
    givesChange: z.boolean().optional(),
    sort: z.number().int().min(0).max(10_000).optional(),
  }),
);
export const updatePaymentMethodBody = entity(
  'paymentMethod',
  paymentMethodBody.partial().extend({ active: z.boolean().optional() }),
);
export const paymentMethodDto = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.enum(PAYMENT_KINDS),
  givesChange: z.boolean(),
  sort: z.number(),
  active: z.boolean(),
});
export type PaymentMethodDto = z.infer<typeof paymentMethodDto>;

export const REASON_USAGES = ['loss', 'overage', 'return', 'adjustment', 'other'] as const;
export type ReasonUsage = (typeof REASON_USAGES)[number];
export const reasonUsageLabels = {
  loss: { zh: '报损', en: 'Loss' },
  overage: { zh: '报溢', en: 'Overage' },
  return: { zh: '退货', en: 'Return' },
  adjustment: { zh: '调整', en: 'Adjustment' },
  other: { zh: '其他', en: 'Other' },
} as const;

export const reasonCodeBody = entity(
  'reasonCode',
  z.object({
    usage: z.enum(REASON_USAGES),
    code: masterCode,
    name: cleanText().trim().min(1).max(50),
    nameEn: text(100),
    sort: z.number().int().min(0).max(10_000).optional(),
  }),
);
export const updateReasonCodeBody = entity(
  'reasonCode',
  reasonCodeBody.omit({ usage: true, code: true }).partial().extend({ active: z.boolean().optional() }),
);
export const reasonCodeDto = z.object({
  id: z.number(),
  usage: z.enum(REASON_USAGES),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  sort: z.number(),
  active: z.boolean(),
});
export type ReasonCodeDto = z.infer<typeof reasonCodeDto>;
export const reasonCodeListQuery = pageQuery.extend({ usage: z.enum(REASON_USAGES).optional(), active: queryBool.optional() });
