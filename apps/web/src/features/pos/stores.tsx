import { Space } from 'antd';
import { useSearchParams } from 'react-router';
import { useT } from '../../shared/i18n';
import { OrgSelect } from '../../shared/orgs';
import { useSession } from '../../shared/session';
import { m } from './messages';

/** The store a page works on: ?storeId=…, else the current org if it is a store, else the only visible store. */
export function useStoreId(): [number | undefined, (id: number | undefined) => void] {
  const { currentOrg, orgs } = useSession();
  const [sp, setSp] = useSearchParams();
  const stores = orgs.filter((o) => o.kind === 'store');
  const fromUrl = Number(sp.get('storeId') ?? '') || undefined;
  const fallback = currentOrg?.kind === 'store' ? currentOrg.id : stores.length === 1 ? stores[0]!.id : undefined;
  const set = (id: number | undefined) =>
    setSp(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('storeId', String(id));
        else next.delete('storeId');
        return next;
      },
      { replace: true },
    );
  return [fromUrl ?? fallback, set];
}

export function StorePicker(props: { value: number | undefined; onChange: (id: number | undefined) => void }) {
  const t = useT(m);
  return (
    <Space>
      <span>{t('common.store')}</span>
      <OrgSelect
        kinds={['store']}
        value={props.value}
        onChange={(v) => props.onChange(typeof v === 'number' ? v : undefined)}
        style={{ width: 240 }}
        placeholder={t('common.pickStore')}
        data-testid="store-picker"
      />
    </Space>
  );
}
