import type { BrandDto, UnitDto } from '@erp/contracts';
import { pick, type SimpleTable, str, strOrNull, yesNo } from './simple-master.js';

export const unitTable: SimpleTable<UnitDto> = {
  table: 'unit',
  fn: 'unit',
  label: { zh: '计量单位', en: 'Units' },
  toDto: (r) => ({
    id: Number(r.id),
    code: str(r.code),
    name: str(r.name),
    nameEn: strOrNull(r.name_en),
    active: r.active === true,
  }),
  toColumns: (c) => pick(c, { code: 'code', name: 'name', nameEn: 'name_en', active: 'active' }),
  references: [
    { table: 'product', column: 'base_unit_id' },
    { table: 'product_unit', column: 'unit_id' },
  ],
  exportColumns: (zh) => [
    { header: zh ? '编码' : 'Code', value: (u) => u.code },
    { header: zh ? '名称' : 'Name', value: (u) => u.name },
    { header: zh ? '英文名称' : 'English name', value: (u) => u.nameEn },
    { header: zh ? '启用' : 'Active', value: (u) => yesNo(zh)(u.active) },
  ],
};

export const brandTable: SimpleTable<BrandDto> = {
  table: 'brand',
  fn: 'brand',
  label: { zh: '品牌', en: 'Brands' },
  toDto: (r) => ({
    id: Number(r.id),
    code: str(r.code),
    name: str(r.name),
    nameEn: strOrNull(r.name_en),
    active: r.active === true,
  }),
  toColumns: (c) => pick(c, { code: 'code', name: 'name', nameEn: 'name_en', active: 'active' }),
  references: [{ table: 'product', column: 'brand_id' }],
  exportColumns: (zh) => [
    { header: zh ? '品牌编码' : 'Code', value: (b) => b.code },
    { header: zh ? '品牌名称' : 'Name', value: (b) => b.name },
    { header: zh ? '英文名称' : 'English name', value: (b) => b.nameEn },
    { header: zh ? '启用' : 'Active', value: (b) => yesNo(zh)(b.active) },
  ],
};
