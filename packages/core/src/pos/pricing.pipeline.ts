import {
  DomainError,
  type PriceStrategy,
  type PricingContext,
  PricingError,
  type PricingLineInput,
  type PricingResult,
  priceSale,
  type RoundingRule,
  type SaleDiscount,
} from '@erp/contracts';
import type { DB, Transaction } from '@erp/db';
import { resolvePrices } from '../pricing/index.js';

/**
 * The server side of the till's price step (POS-3). The pipeline itself is the pure `priceSale` from
 * @erp/contracts, the same code the till runs offline; here it is fed with master-data prices and the
 * registered strategies. Promotions, member prices and stored value (a later module) register a strategy
 * with `registerPriceStrategy` and need no change to the till or the checkout.
 */
const strategies: PriceStrategy[] = [];

export function registerPriceStrategy(strategy: PriceStrategy): void {
  const i = strategies.findIndex((s) => s.code === strategy.code);
  if (i >= 0) strategies[i] = strategy;
  else strategies.push(strategy);
}

export function priceStrategies(): readonly PriceStrategy[] {
  return strategies;
}

export type PriceTypeName = 'retail' | 'member';

/** Base prices of products at a store for price types, at a moment: the master-data price function (MD-2). */
export type BasePriceSource = (
  db: Transaction<DB>,
  q: { storeId: number; productIds: number[]; priceTypes: PriceTypeName[]; at: Date },
) => Promise<Map<number, Partial<Record<PriceTypeName, string>>>>;

/** The master-data module's `resolvePrices` (MD-2: one query for many products). */
export const masterDataPrices: BasePriceSource = (db, q) => resolvePrices(db, q);

let source: BasePriceSource = masterDataPrices;

/** The base-price source in use (the checkout's price cache applies only to the master-data one). */
export function basePriceSource(): BasePriceSource {
  return source;
}

/** Replaces the base-price source (an integration that prices elsewhere); returns the previous one. */
export function setBasePriceSource(next: BasePriceSource): BasePriceSource {
  const prev = source;
  source = next;
  return prev;
}

export function basePrices(db: Transaction<DB>, q: Parameters<BasePriceSource>[1]) {
  return source(db, q);
}

export interface PricingLine extends PricingLineInput {}

/** Runs the shared pipeline, turning its refusals into domain errors. */
export function runPricing(
  lines: PricingLineInput[],
  saleDiscount: SaleDiscount | null | undefined,
  rounding: RoundingRule,
  ctx: PricingContext,
): PricingResult {
  try {
    return priceSale({ lines, saleDiscount, rounding }, ctx, strategies);
  } catch (e) {
    if (e instanceof PricingError) {
      throw new DomainError('POS_DISCOUNT_INVALID', { line: e.key ?? '-', reason: e.reason });
    }
    throw e;
  }
}
