import { Select, type SelectProps, TreeSelect, type TreeSelectProps } from 'antd';
import { useMemo } from 'react';
import { useLabel } from '../../shared/i18n';
import { useSession } from '../../shared/session';
import { type CategoryDto, useCategories, useCodeTable, usePartners } from './api';

export function categoryTree(rows: CategoryDto[], label: (c: CategoryDto) => string) {
  type Node = { value: number; title: string; key: number; disabled?: boolean; children: Node[] };
  const nodes = new Map<number, Node>(
    rows.map((c) => [c.id, { value: c.id, key: c.id, title: `${c.code} ${label(c)}`, disabled: !c.active, children: [] }]),
  );
  const roots: Node[] = [];
  for (const c of rows) {
    const n = nodes.get(c.id)!;
    const p = c.parentId !== null ? nodes.get(c.parentId) : undefined;
    if (p) p.children.push(n);
    else roots.push(n);
  }
  return roots;
}

export function CategorySelect(props: Omit<TreeSelectProps, 'treeData'>) {
  const { can } = useSession();
  const q = useCategories(can('category:view'));
  const label = useLabel();
  const treeData = useMemo(() => categoryTree(q.data ?? [], label), [q.data, label]);
  return (
    <TreeSelect
      treeData={treeData}
      loading={q.isLoading}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ minWidth: 200 }}
      popupMatchSelectWidth={320}
      {...props}
    />
  );
}

/** A small code table as a select (units, brands). */
export function CodeSelect({
  path,
  grant,
  optionFilter,
  ...props
}: SelectProps & { path: string; grant: string /** Only these ids. */; optionFilter?: number[] }) {
  const { can } = useSession();
  const label = useLabel();
  const q = useCodeTable(path, can(grant));
  return (
    <Select
      loading={q.isLoading}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 140 }}
      options={(q.data?.items ?? [])
        .filter((r) => (r.active || r.id === props.value) && (!optionFilter || optionFilter.includes(r.id)))
        .map((r) => ({ value: r.id, label: `${label(r)} (${r.code})` }))}
      {...props}
    />
  );
}

export function PartnerSelect({
  kind,
  grant,
  ...props
}: SelectProps & { kind: 'suppliers' | 'manufacturers' | 'customers'; grant: string }) {
  const { can } = useSession();
  const q = usePartners(kind, can(grant));
  return (
    <Select
      loading={q.isLoading}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 200 }}
      options={(q.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.code} ${r.shortName ?? r.name}` }))}
      {...props}
    />
  );
}
