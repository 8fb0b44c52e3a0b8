import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { api } from './api';

export interface WarehouseDto {
  id: number;
  orgId: number;
  code: string;
  name: string;
  isDefault: boolean;
  active: boolean;
}

/** Warehouses of one org, or of every visible org. */
export function useWarehouses(orgId?: number | null, enabled = true) {
  return useQuery({
    queryKey: ['warehouses', orgId ?? 'all'],
    queryFn: () => api.get<WarehouseDto[]>('/api/warehouses', { orgId: orgId ?? undefined }),
    enabled,
  });
}

export function WarehouseSelect({ orgId, ...rest }: SelectProps & { orgId?: number | null | undefined }) {
  const { data, isLoading } = useWarehouses(orgId);
  return (
    <Select
      loading={isLoading}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 180 }}
      options={(data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
      {...rest}
    />
  );
}

export interface RoleDto {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  orgId: number | null;
  builtin: boolean;
  grants: { function: string; action: string }[];
}

export function useRoles(enabled = true) {
  return useQuery({ queryKey: ['roles'], queryFn: () => api.get<RoleDto[]>('/api/roles'), enabled });
}
