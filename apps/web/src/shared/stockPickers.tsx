import type { Page } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { DatePicker, type DatePickerProps, Select, type SelectProps } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { api } from './api';
import { useLabel } from './i18n';
import { useSession } from './session';

/**
 * Pickers of the stock and purchasing screens: suppliers, reason codes, counters and shelves, and a date field
 * whose value is the API's 'YYYY-MM-DD' string (so forms validate it with the contracts' schemas as is).
 */

export interface SupplierBrief {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  active: boolean;
}

export function useSuppliers(enabled = true) {
  const { can } = useSession();
  return useQuery({
    queryKey: ['partners-brief', 'suppliers'],
    queryFn: () => api.get<Page<SupplierBrief>>('/api/suppliers', { pageSize: 500 }),
    enabled: enabled && can('supplier:view'),
    staleTime: 60_000,
  });
}

/** "code name" of suppliers by id (documents carry ids). */
export function useSupplierNames(): (id: number | null | undefined) => string {
  const q = useSuppliers();
  return useMemo(() => {
    const byId = new Map((q.data?.items ?? []).map((s) => [s.id, s]));
    return (id) => {
      if (id === null || id === undefined) return '';
      const s = byId.get(id);
      return s ? `${s.code} ${s.shortName ?? s.name}` : `#${id}`;
    };
  }, [q.data]);
}

export function SupplierSelect(props: SelectProps<number>) {
  const q = useSuppliers();
  return (
    <Select<number>
      loading={q.isLoading}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 240 }}
      popupMatchSelectWidth={360}
      options={(q.data?.items ?? [])
        .filter((s) => s.active || s.id === props.value)
        .map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
      {...props}
    />
  );
}

export interface ReasonCode {
  id: number;
  usage: string;
  code: string;
  name: string;
  nameEn: string | null;
  active: boolean;
}

export function useReasonCodes() {
  const { can } = useSession();
  return useQuery({
    queryKey: ['code-table', '/api/reason-codes'],
    queryFn: () => api.get<Page<ReasonCode>>('/api/reason-codes', { pageSize: 500 }),
    enabled: can('reason_code:view'),
    staleTime: 60_000,
  });
}

/** Active reason codes (原因代码) of the given usages. */
export function ReasonCodeSelect({ usages, ...props }: SelectProps<number> & { usages: readonly string[] }) {
  const q = useReasonCodes();
  const label = useLabel();
  return (
    <Select<number>
      loading={q.isLoading}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 140 }}
      options={(q.data?.items ?? [])
        .filter((r) => (r.active && usages.includes(r.usage)) || r.id === props.value)
        .map((r) => ({ value: r.id, label: `${label(r)} (${r.code})` }))}
      {...props}
    />
  );
}

export interface ShelfDto {
  id: number;
  warehouseId: number;
  counterId: number | null;
  code: string;
  name: string;
}

export function useShelves(warehouseId: number | null | undefined) {
  return useQuery({
    queryKey: ['shelves', warehouseId],
    queryFn: () => api.get<ShelfDto[]>(`/api/warehouses/${warehouseId}/shelves`),
    enabled: typeof warehouseId === 'number',
    staleTime: 60_000,
  });
}

/** Shelves (货架) of one warehouse; empty = no shelf. */
export function ShelfSelect({ warehouseId, ...props }: SelectProps<number | null> & { warehouseId: number | null | undefined }) {
  const q = useShelves(warehouseId);
  return (
    <Select<number | null>
      loading={q.isLoading}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 110 }}
      popupMatchSelectWidth={220}
      options={(q.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
      {...props}
    />
  );
}

export interface CounterDto {
  id: number;
  orgId: number;
  code: string;
  name: string;
  active: boolean;
}

export function CounterSelect({ orgId, ...props }: SelectProps<number> & { orgId: number | null | undefined }) {
  const q = useQuery({
    queryKey: ['counters', orgId],
    queryFn: () => api.get<CounterDto[]>(`/api/orgs/${orgId}/counters`),
    enabled: typeof orgId === 'number',
    staleTime: 60_000,
  });
  return (
    <Select<number>
      loading={q.isLoading}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 180 }}
      options={(q.data ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }))}
      {...props}
    />
  );
}

/** A date picker whose value is 'YYYY-MM-DD' (or null), as the API and the Zod schemas take it. */
export function DateField({
  value,
  onChange,
  ...rest
}: Omit<DatePickerProps, 'value' | 'onChange'> & { value?: string | null; onChange?: (v: string | null) => void }) {
  return (
    <DatePicker
      value={value ? dayjs(value) : null}
      onChange={(d) => onChange?.(d && !Array.isArray(d) ? d.format('YYYY-MM-DD') : null)}
      format="YYYY-MM-DD"
      {...rest}
    />
  );
}
