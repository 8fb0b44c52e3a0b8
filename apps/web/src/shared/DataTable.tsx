import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import type { Page } from '@erp/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Select, Space, Switch, Table, type TableProps, Tooltip } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { api, errorText, type Query } from './api';
import { ExportButton } from './ExportButton';
import { useT } from './i18n';
import { useSession } from './session';

/** A filter of a list: its value lives in the URL (so a list can be bookmarked, shared and returned to). */
export interface FilterDef {
  /** URL and API parameter; for 'dateRange' the two names of `range`. */
  name: string;
  label: string;
  type?: 'text' | 'select' | 'dateRange' | 'switch' | 'custom';
  options?: { value: string | number; label: ReactNode }[];
  placeholder?: string;
  range?: [string, string];
  /** The API's `to` is exclusive (a timestamp bound): the URL keeps the day after the picked end date. */
  exclusiveEnd?: boolean;
  width?: number;
  /** For 'custom': any antd-style input taking value/onChange. */
  render?: () => ReactNode;
  /** The value is a number (an id) for the input; the URL keeps its digits. */
  numeric?: boolean;
}

export interface DataTableProps<T> {
  /** Cache key of the list, e.g. 'users'; invalidate ['list', key] after a change. */
  queryKey: string;
  url: string;
  columns: ColumnsType<T>;
  rowKey: string | ((row: T) => string | number);
  filters?: FilterDef[];
  /** Fixed parameters (the current org…), not in the URL. */
  params?: Query;
  toolbar?: ReactNode;
  /** The list's export route (same filters); the button shows when the user holds `exportGrant`. */
  exportUrl?: string;
  exportGrant?: string;
  exportName?: string;
  expandable?: TableProps<T>['expandable'];
  /** Prefix of this table's URL parameters, for two lists on one page. */
  urlPrefix?: string;
  defaultPageSize?: number;
  onRow?: TableProps<T>['onRow'];
  rowSelection?: TableProps<T>['rowSelection'];
  summary?: TableProps<T>['summary'];
}

const RESERVED = ['page', 'pageSize', 'sort', 'order'];

/** Reads and writes a list's state in the URL. */
export function useListState(prefix = '', defaultPageSize = 20) {
  const [sp, setSp] = useSearchParams();
  const get = (k: string) => sp.get(prefix + k) ?? undefined;
  const page = Math.max(1, Number(get('page') ?? 1) || 1);
  const pageSize = Math.min(500, Math.max(1, Number(get('pageSize') ?? defaultPageSize) || defaultPageSize));
  const sort = get('sort');
  const order = get('order') === 'desc' ? 'desc' : 'asc';
  const filters: Record<string, string> = {};
  for (const [k, v] of sp.entries()) {
    if (!k.startsWith(prefix)) continue;
    const name = k.slice(prefix.length);
    if (!RESERVED.includes(name) && v !== '') filters[name] = v;
  }
  const update = (patch: Record<string, string | number | undefined | null>) => {
    setSp(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v === undefined || v === null || v === '') next.delete(prefix + k);
          else next.set(prefix + k, String(v));
        }
        return next;
      },
      { replace: true },
    );
  };
  return { page, pageSize, sort, order: order as 'asc' | 'desc', filters, update };
}

function toFormValues(defs: FilterDef[], filters: Record<string, string>) {
  const v: Record<string, unknown> = {};
  for (const d of defs) {
    if (d.type === 'dateRange') {
      const [from, to] = d.range ?? ['from', 'to'];
      const a = filters[from];
      const b = filters[to];
      const end = b ? (d.exclusiveEnd ? dayjs(b).subtract(1, 'day') : dayjs(b)) : null;
      v[d.name] = a || b ? [a ? dayjs(a) : null, end] : undefined;
    } else if (d.type === 'switch') v[d.name] = filters[d.name] === 'true';
    else if (d.numeric) v[d.name] = filters[d.name] !== undefined ? Number(filters[d.name]) : undefined;
    else v[d.name] = filters[d.name];
  }
  return v;
}

function fromFormValues(defs: FilterDef[], values: Record<string, unknown>) {
  const patch: Record<string, string | undefined> = {};
  for (const d of defs) {
    const raw = values[d.name];
    if (d.type === 'dateRange') {
      const [from, to] = d.range ?? ['from', 'to'];
      const pair = (raw as [Dayjs | null, Dayjs | null] | undefined) ?? [null, null];
      patch[from] = pair[0]?.format('YYYY-MM-DD');
      patch[to] = (d.exclusiveEnd ? pair[1]?.add(1, 'day') : pair[1])?.format('YYYY-MM-DD');
    } else if (d.type === 'switch') patch[d.name] = raw ? 'true' : undefined;
    else patch[d.name] = raw === undefined || raw === null || raw === '' ? undefined : String(raw).trim();
  }
  return patch;
}

function FilterBar({ defs, state }: { defs: FilterDef[]; state: ReturnType<typeof useListState> }) {
  const t = useT();
  const [form] = Form.useForm();
  const initial = useMemo(() => toFormValues(defs, state.filters), [defs, state.filters]);
  // Keep the form in step with the URL (back/forward, links that set filters).
  useEffect(() => {
    form.setFieldsValue(initial);
  }, [form, initial]);
  return (
    <Form
      form={form}
      layout="inline"
      initialValues={initial}
      onFinish={(values) => state.update({ ...fromFormValues(defs, values), page: undefined })}
      onValuesChange={(changed) => {
        // Pickers apply at once; typed text waits for Enter or the search button.
        const keys = Object.keys(changed as object);
        if (
          keys.some((k) => defs.find((d) => d.name === k)?.type !== undefined && defs.find((d) => d.name === k)?.type !== 'text')
        )
          form.submit();
      }}
      className="erp-filter-bar"
    >
      {defs.map((d) => (
        <Form.Item key={d.name} name={d.name} label={d.label} valuePropName={d.type === 'switch' ? 'checked' : 'value'}>
          {d.type === 'select' ? (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: d.width ?? 160 }}
              placeholder={d.placeholder ?? t('common.all')}
              options={d.options?.map((o) => ({ value: d.numeric ? o.value : String(o.value), label: o.label }))}
            />
          ) : d.type === 'dateRange' ? (
            <DatePicker.RangePicker style={{ width: d.width ?? 240 }} allowEmpty={[true, true]} />
          ) : d.type === 'switch' ? (
            <Switch size="small" />
          ) : d.type === 'custom' && d.render ? (
            d.render()
          ) : (
            <Input allowClear style={{ width: d.width ?? 180 }} placeholder={d.placeholder} />
          )}
        </Form.Item>
      ))}
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
            {t('common.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              const clear: Record<string, undefined> = { page: undefined };
              for (const d of defs) {
                if (d.type === 'dateRange') for (const n of d.range ?? ['from', 'to']) clear[n] = undefined;
                else clear[d.name] = undefined;
              }
              state.update(clear);
            }}
          >
            {t('common.reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}

/**
 * The list every screen uses: server-paginated, sortable and filterable, its state in the URL, with an optional
 * Excel export of the same filters.
 */
export function DataTable<T extends object>(props: DataTableProps<T>) {
  const t = useT();
  const { can } = useSession();
  const state = useListState(props.urlPrefix, props.defaultPageSize);
  const query: Query = {
    ...props.params,
    ...state.filters,
    page: state.page,
    pageSize: state.pageSize,
    sort: state.sort,
    order: state.sort ? state.order : undefined,
  };
  const result = useQuery({
    queryKey: ['list', props.queryKey, props.url, query],
    queryFn: ({ signal }) => api.get<Page<T>>(props.url, query, signal),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo(
    () =>
      props.columns.map((c) => {
        const key = String(c.key ?? ('dataIndex' in c ? c.dataIndex : ''));
        if (!c.sorter) return c;
        return {
          ...c,
          sortOrder: state.sort === key ? (state.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null,
        };
      }),
    [props.columns, state.sort, state.order],
  );

  const onChange: TableProps<T>['onChange'] = (pagination, _filters, sorter) => {
    const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
    const key = s?.order ? String(s.columnKey ?? s.field ?? '') : undefined;
    const sortChanged = key !== state.sort || (key && (s?.order === 'descend' ? 'desc' : 'asc') !== state.order);
    state.update({
      page: sortChanged ? undefined : pagination.current === 1 ? undefined : pagination.current,
      pageSize: pagination.pageSize === (props.defaultPageSize ?? 20) ? undefined : pagination.pageSize,
      sort: key,
      order: key ? (s?.order === 'descend' ? 'desc' : 'asc') : undefined,
    });
  };

  const exportAllowed = props.exportUrl && (!props.exportGrant || can(props.exportGrant));
  return (
    <div className="erp-data-table">
      {(props.filters?.length || props.toolbar || exportAllowed) && (
        <div className="erp-table-toolbar">
          <div className="erp-table-filters">
            {props.filters?.length ? <FilterBar defs={props.filters} state={state} /> : null}
          </div>
          <Space wrap>
            {props.toolbar}
            {exportAllowed && (
              <ExportButton url={props.exportUrl!} query={{ ...props.params, ...state.filters }} fileName={props.exportName} />
            )}
            <Tooltip title={t('common.refresh')}>
              <Button icon={<ReloadOutlined />} onClick={() => result.refetch()} aria-label={t('common.refresh')} />
            </Tooltip>
          </Space>
        </div>
      )}
      {result.isError && (
        <Alert
          type="error"
          showIcon
          title={t('common.loadFailed')}
          description={errorText(result.error)}
          action={<Button onClick={() => result.refetch()}>{t('common.retry')}</Button>}
          style={{ marginBottom: 12 }}
        />
      )}
      <Table<T>
        size="small"
        bordered
        rowKey={props.rowKey as never}
        columns={columns}
        dataSource={result.data?.items ?? []}
        loading={result.isFetching}
        onChange={onChange}
        expandable={props.expandable}
        onRow={props.onRow}
        rowSelection={props.rowSelection}
        summary={props.summary}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: state.page,
          pageSize: state.pageSize,
          total: result.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showQuickJumper: true,
          showTotal: (total) => t('common.total', { total }),
          size: 'small',
        }}
      />
    </div>
  );
}
