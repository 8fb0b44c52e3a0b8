import { useQueries, useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useEffect, useState } from 'react';
import { api } from './api';

interface ProductBrief {
  id: number;
  code: string;
  name: string;
  spec: string;
  barcodes: { barcode: string }[];
}

/**
 * Picks a product by code, name, pinyin initials or an exact barcode (a scanner types the code and Enter);
 * searches the server as the user types.
 */
export function ProductSelect({ value, onChange, ...rest }: SelectProps<number | undefined>) {
  const [term, setTerm] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(term.trim()), 250);
    return () => clearTimeout(t);
  }, [term]);
  const search = useQuery({
    queryKey: ['product-search', debounced],
    queryFn: ({ signal }) =>
      api.get<{ items: ProductBrief[] }>('/api/products', { q: debounced || undefined, pageSize: 20, active: 'true' }, signal),
    staleTime: 30_000,
  });
  const current = useQuery({
    queryKey: ['products', value],
    queryFn: () => api.get<ProductBrief>(`/api/products/${value}`),
    enabled: typeof value === 'number' && !(search.data?.items ?? []).some((p) => p.id === value),
    staleTime: 60_000,
  });
  const items = [...(search.data?.items ?? [])];
  if (current.data && !items.some((p) => p.id === current.data.id)) items.unshift(current.data);
  return (
    <Select<number | undefined>
      showSearch={{ filterOption: false, onSearch: setTerm }}
      allowClear
      value={value}
      onChange={onChange}
      loading={search.isFetching}
      style={{ minWidth: 240 }}
      options={items.map((p) => ({
        value: p.id,
        label: `${p.code} ${p.name}${p.spec ? ` ${p.spec}` : ''}`,
      }))}
      {...rest}
    />
  );
}

/** Code and name of products by id (document lines carry ids), fetched once each and cached; at most `limit`. */
export function useProductNames(ids: readonly (number | null)[], enabled = true, limit = 100): Map<number, string> {
  const distinct = [...new Set(ids.filter((x): x is number => typeof x === 'number'))].slice(0, limit);
  const results = useQueries({
    queries: distinct.map((id) => ({
      queryKey: ['products', id],
      queryFn: () => api.get<ProductBrief>(`/api/products/${id}`),
      enabled,
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const map = new Map<number, string>();
  results.forEach((r, i) => {
    if (r.data) map.set(distinct[i]!, `${r.data.code} ${r.data.name}${r.data.spec ? ` ${r.data.spec}` : ''}`);
  });
  return map;
}
