import type * as contracts from '@erp/contracts';
import type { DocStatus, DocType, Wire } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export type DocumentLine = Wire<contracts.DocumentLine>;

export type DocumentHeader = Wire<contracts.DocumentHeader> & {
  /** On list rows. */
  orgName?: string;
  orgCode?: string;
};

export type DocumentWithLines = Wire<contracts.DocumentWithLines>;

export interface DocTypeSetting {
  docType: DocType;
  needsApproval: boolean;
  autoPost: boolean;
  /** States a rollback (回退) is allowed from; empty when the type has none. */
  rollbackFrom?: DocStatus[];
  /** Whether posting (记账) means something for this type. */
  posts?: boolean;
}

export function useDocConfig(orgId: number | null | undefined, enabled = true) {
  return useQuery({
    queryKey: ['doc-config', orgId],
    queryFn: () => api.get<DocTypeSetting[]>('/api/doc-config', { orgId: orgId ?? undefined }),
    enabled: enabled && !!orgId,
  });
}
