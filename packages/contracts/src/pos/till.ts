import { z } from 'zod';
import { id } from '../common.js';
import { dec } from '../decimal.js';
import { entity } from '../fields.js';
import { bilingual, pattern, rule, text } from '../validation.js';
import { ROUNDING_MODES, ROUNDING_UNITS } from './pricing.js';

// Tills (ORG-5), their settings and pairing, cashier sign-in on a till, supervisor authorisation (AUTH-4).

const code = text()
  .trim()
  .min(1)
  .max(32)
  .check(pattern(/^[A-Za-z0-9_-]+$/, 'code_chars', { chars: '_ -' }));

/** A percentage 0–100 with up to 2 decimals, as a string ("12.5"). */
export const percentString = z
  .union([text(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && dec(v).lessThanOrEqualTo(100), rule('percent', { max: 100 }));

/** Peripherals of one till (POS-10): stored per terminal, shipped to the till with its settings. */
export const terminalSettings = z.object({
  printerWidth: z.union([z.literal(58), z.literal(80)]).default(80),
  autoPrint: z.boolean().default(true),
  receiptCopies: z.number().int().min(0).max(3).default(1),
  cashDrawer: z.boolean().default(true),
  customerDisplay: z.boolean().default(false),
  scale: entity(
    'scale',
    z.object({
      enabled: z.boolean().default(false),
      /** 'serial' (Web Serial), 'keyboard' (scale types the weight), 'barcode' (weighed-goods labels only). */
      mode: z.enum(['serial', 'keyboard', 'barcode']).default('barcode'),
      baudRate: z.number().int().positive().optional(),
    }),
  ).default({ enabled: false, mode: 'barcode' }),
});
export type TerminalSettings = z.infer<typeof terminalSettings>;

export const createTerminalBody = entity(
  'terminal',
  z.object({
    storeId: id,
    code,
    name: text().trim().min(1).max(50),
    settings: terminalSettings.optional(),
  }),
);
export type CreateTerminalCommand = z.input<typeof createTerminalBody>;

export const updateTerminalBody = entity(
  'terminal',
  z.object({
    name: text().trim().min(1).max(50).optional(),
    settings: terminalSettings.optional(),
    active: z.boolean().optional(),
  }),
);
export type UpdateTerminalCommand = z.input<typeof updateTerminalBody>;

export const terminalListQuery = z.object({ storeId: id.optional() });

/** The device redeems the one-time pairing code (传输密码) for its own terminal token. */
export const pairTerminalBody = entity(
  'pairing',
  z.object({
    code: text().trim().min(6).max(20),
    deviceName: text().trim().max(100).optional(),
  }),
);

/** Request for another block of receipt numbers (the till asks when its block runs low). */
export const receiptBlockBody = z.object({ size: z.number().int().min(100).max(100_000).default(5000) });

/** The header a paired till sends with every till request (besides its cashier's bearer token). */
export const TERMINAL_TOKEN_HEADER = 'x-terminal-token';

export const tillSignInBody = z.object({
  login: text().trim().min(1).max(50),
  pin: text().min(1).max(20),
  /** The terminal token; the X-Terminal-Token header may be used instead. */
  terminalToken: text().min(20).max(200).optional(),
});

export const HOTKEY_ACTIONS = [
  'search',
  'qty',
  'void_line',
  'line_discount',
  'sale_discount',
  'price_override',
  'member',
  'hold',
  'resume',
  'pay',
  'pay_cash',
  'pay_card',
  'pay_mobile',
  'return',
  'reprint',
  'open_drawer',
  'customer_display',
  'sign_out',
] as const;
export type HotkeyAction = (typeof HOTKEY_ACTIONS)[number];

/** The keys a store has until it sets its own (热键设置); the till and the server read the same table. */
export const DEFAULT_HOTKEYS: { action: HotkeyAction; key: string }[] = [
  { action: 'search', key: 'F1' },
  { action: 'qty', key: 'F2' },
  { action: 'void_line', key: 'F3' },
  { action: 'line_discount', key: 'F4' },
  { action: 'sale_discount', key: 'F5' },
  { action: 'member', key: 'F6' },
  { action: 'hold', key: 'F7' },
  { action: 'resume', key: 'F8' },
  { action: 'return', key: 'F9' },
  { action: 'reprint', key: 'F10' },
  { action: 'pay', key: 'F12' },
  { action: 'pay_cash', key: 'Ctrl+1' },
  { action: 'pay_card', key: 'Ctrl+2' },
  { action: 'pay_mobile', key: 'Ctrl+3' },
  { action: 'open_drawer', key: 'Ctrl+O' },
  { action: 'sign_out', key: 'Ctrl+Q' },
];

export const hotkey = z.object({
  action: z.enum(HOTKEY_ACTIONS),
  /** A key as KeyboardEvent.key with modifiers, e.g. "F2", "Ctrl+D", "Escape". */
  key: text()
    .trim()
    .min(1)
    .max(30)
    .check(pattern(/^((Ctrl|Alt|Shift|Meta)\+)*[A-Za-z0-9+\-*/.=]{1,12}$/, 'hotkey')),
});

/** Receipt template (小票模板) for one paper width; `{storeName}`, `{storeAddress}`, `{storePhone}` are filled in. */
export const receiptTemplate = z.object({
  header: z.array(text().max(64)).max(10).default(['{storeName}']),
  footer: z.array(text().max(64)).max(10).default(['谢谢惠顾，欢迎再次光临', 'Thank you']),
  showBarcode: z.boolean().default(false),
  showSavings: z.boolean().default(true),
  showCashier: z.boolean().default(true),
  /** QR content: 'receipt_no', a URL with {receiptNo}/{storeCode}, or 'none'. */
  qr: text().max(200).default('receipt_no'),
});
export type ReceiptTemplate = z.infer<typeof receiptTemplate>;

export const storeSettingsBody = z.object({
  rounding: entity('rounding', z.object({ unit: z.enum(ROUNDING_UNITS), mode: z.enum(ROUNDING_MODES) })).optional(),
  hotkeys: z
    .array(hotkey)
    .max(60)
    .refine(
      (hs) => new Set(hs.map((h) => h.key.toLowerCase())).size === hs.length,
      bilingual('同一个按键不能分配给两个功能', 'One key cannot be assigned to two actions'),
    )
    .optional(),
  receiptTemplates: entity('receiptTemplates', z.object({ '58': receiptTemplate, '80': receiptTemplate }).partial()).optional(),
  /** Offline sales may carry an authorisation the till verified locally (supervisor PIN). */
  allowOfflineAuthorization: z.boolean().optional(),
  /** Supervisor authorisations expire after this many seconds. */
  authorizationTtlSeconds: z.number().int().min(30).max(3600).optional(),
  /** The store sells lots past their expiry date (default: no; the till warns and the allocator skips them). */
  sellExpired: z.boolean().optional(),
});
export type StoreSettingsCommand = z.input<typeof storeSettingsBody>;

export const roleDiscountLimitBody = z.object({
  /** The store (or an org above it: applies to every store below unless a closer org has its own row). */
  orgId: id,
  roleId: id,
  maxDiscountRate: percentString,
});

export const cashierSettingsBody = z.object({
  /** The user's own discount limit; null = the limit of their roles. */
  maxDiscountRate: percentString.nullable().optional(),
  /** A new till PIN (收银密码); set by an administrator for the user. */
  pin: text().min(1).max(20).optional(),
});

export const ownPinBody = z.object({ pin: text().min(1).max(20) });

export const AUTHORIZATION_PURPOSES = ['discount', 'manual_return', 'void_sale', 'open_drawer'] as const;
export type AuthorizationPurpose = (typeof AUTHORIZATION_PURPOSES)[number];
export const authorizationPurposeLabels = {
  discount: { zh: '超权限折扣/改价', en: 'discount or price beyond the limit' },
  manual_return: { zh: '无小票退货', en: 'return without a receipt' },
  void_sale: { zh: '作废销售单', en: 'voiding a sale' },
  open_drawer: { zh: '开钱箱', en: 'opening the cash drawer' },
} as const;

/** A supervisor authorises one special function at the till with their login and till PIN (AUTH-4). */
export const authorizationBody = z.object({
  login: text().trim().min(1).max(50),
  pin: text().min(1).max(20),
  purpose: z.enum(AUTHORIZATION_PURPOSES),
  /** The sale it is for; the authorisation is then valid for that sale only. */
  clientSaleId: z.uuid().optional(),
  /** For 'discount': the highest manual discount rate it allows (percent). */
  maxDiscountRate: percentString.optional(),
  reason: text().trim().max(200).optional(),
});
export type AuthorizationCommand = z.input<typeof authorizationBody>;
