import { type OrgKind, orgKindLabels } from '@erp/contracts';
import { Tag, TreeSelect, type TreeSelectProps } from 'antd';
import { useMemo } from 'react';
import { useLabel } from './i18n';
import { type OrgBrief, useSession } from './session';

export interface OrgNode<T extends OrgBrief = OrgBrief> {
  org: T;
  children: OrgNode<T>[];
}

/** The visible orgs as a forest: an org whose parent is not visible is a root (a store user's own store). */
export function buildOrgTree<T extends OrgBrief>(orgs: readonly T[]): OrgNode<T>[] {
  const nodes = new Map<number, OrgNode<T>>(orgs.map((o) => [o.id, { org: o, children: [] }]));
  const roots: OrgNode<T>[] = [];
  for (const o of orgs) {
    const node = nodes.get(o.id)!;
    const parent = o.parentId !== null ? nodes.get(o.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

const kindColor: Record<OrgKind, string> = {
  company: 'purple',
  hq: 'geekblue',
  dc: 'cyan',
  retail_centre: 'blue',
  store: 'green',
};

export function OrgKindTag({ kind }: { kind: OrgKind }) {
  const label = useLabel();
  return (
    <Tag color={kindColor[kind]} variant="outlined" style={{ marginInlineEnd: 0 }}>
      {label(orgKindLabels[kind])}
    </Tag>
  );
}

/** "S001 人民路店" in the user's language. */
export function useOrgLabel() {
  const label = useLabel();
  const { orgs } = useSession();
  return useMemo(() => {
    const byId = new Map(orgs.map((o) => [o.id, o]));
    return (id: number | null | undefined, fallback?: string) => {
      if (id === null || id === undefined) return '';
      const o = byId.get(id);
      return o ? `${o.code} ${label(o)}` : (fallback ?? `#${id}`);
    };
  }, [orgs, label]);
}

export interface OrgSelectProps extends Omit<TreeSelectProps, 'treeData'> {
  /** Only these kinds can be picked (others still show as tree structure). */
  kinds?: readonly OrgKind[];
}

/** Picks one of the orgs the user may see, as a tree. */
export function OrgSelect({ kinds, ...rest }: OrgSelectProps) {
  const { orgs } = useSession();
  const label = useLabel();
  const treeData = useMemo(() => {
    const toData = (n: OrgNode): NonNullable<TreeSelectProps['treeData']>[number] => ({
      value: n.org.id,
      title: `${n.org.code} ${label(n.org)}`,
      disabled: (kinds && !kinds.includes(n.org.kind)) || !n.org.active,
      children: n.children.map(toData),
    });
    return buildOrgTree(orgs).map(toData);
  }, [orgs, kinds, label]);
  return (
    <TreeSelect
      treeData={treeData}
      treeDefaultExpandAll
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear
      style={{ minWidth: 200 }}
      {...rest}
    />
  );
}
