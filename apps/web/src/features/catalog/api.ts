import type { CategoryDto, Page, ProductDto } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export type { CategoryDto, ProductDto };

export interface CodeRow {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  active: boolean;
}

export function useCategories(enabled = true) {
  return useQuery({
    queryKey: ['categories'],
    queryFn: () => api.get<CategoryDto[]>('/api/categories'),
    enabled,
    staleTime: 60_000,
  });
}

/** Every row of a small code table (units, brands, payment methods…), for pickers. */
export function useCodeTable<T extends CodeRow = CodeRow>(path: string, enabled = true) {
  return useQuery({
    queryKey: ['code-table', path],
    queryFn: () => api.get<Page<T>>(path, { pageSize: 500 }),
    enabled,
    staleTime: 60_000,
  });
}

export interface PartnerBrief extends CodeRow {
  shortName: string | null;
}

export function usePartners(kind: 'suppliers' | 'manufacturers' | 'customers', enabled = true) {
  return useQuery({
    queryKey: ['partners-brief', kind],
    queryFn: () => api.get<Page<PartnerBrief>>(`/api/${kind}`, { pageSize: 500, active: 'true' }),
    enabled,
    staleTime: 60_000,
  });
}
