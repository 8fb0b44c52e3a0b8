// Public API of the catalog module (MD-1): products, barcodes, units, categories, brands, settings, the store's assortment.
export {
  assertMasterDataWriter,
  assertVisibleStore,
  type Db,
  iso,
  isoOrNull,
  masterDataOrgId,
  readableOwnerOrgIds,
} from './catalog.access.js';
export { likeEscape, normalizeScaleCode, pinyinInitials } from './catalog.rules.js';
export * from './category.service.js';
export { basePricesAt, insertPriceRows, type NewPriceRow, PRICE_EPOCH } from './price-rows.js';
export * from './product.bulk.js';
export { loadProduct, productSelect, toProductDto } from './product.repository.js';
export * from './product.service.js';
export * from './settings.service.js';
export * from './simple-master.js';
export * from './store-catalog.service.js';
export * from './units-brands.js';
