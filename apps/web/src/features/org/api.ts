import type { OrgKind } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export interface OrgDto {
  id: number;
  parentId: number | null;
  path: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: OrgKind;
  storeMode: 'direct' | 'franchise' | null;
  region: string | null;
  address: string | null;
  phone: string | null;
  active: boolean;
}

export interface OrgParams {
  orgId: number;
  businessMode: 'supermarket' | 'wholesale';
  allowNegativeStock: boolean;
  receivingUpdatesDefaultShelf: boolean;
  handoverShowsExpectedCash: boolean;
}

export interface DistributionRelation {
  id: number;
  storeId: number;
  storeName: string;
  dcId: number;
  dcName: string;
  priority: number;
  level: number;
}

export const orgKeys = {
  all: ['org'] as const,
  list: ['org', 'list'] as const,
};

export function useOrgList() {
  return useQuery({ queryKey: orgKeys.list, queryFn: () => api.get<OrgDto[]>('/api/orgs') });
}
