import {
  ApiOutlined,
  DownOutlined,
  HomeOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  PoweroffOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { App, Breadcrumb, Button, Dropdown, Grid, Layout, Menu, type MenuProps, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, Navigate, Outlet, useLocation, useMatches, useNavigate } from 'react-router';
import { errorText } from '../shared/api';
import { useLabel, useLocale, useT } from '../shared/i18n';
import { OrgSelect } from '../shared/orgs';
import { useSession } from '../shared/session';
import { ChangePasswordModal } from './ChangePasswordModal';
import { LanguageSwitch } from './LanguageSwitch';
import { grantsOf, menuGroups, pageByPath, pages, type ResolvedPage } from './registry';

const { Header, Sider, Content } = Layout;

function useCurrentPage(): ResolvedPage | undefined {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const page = (matches[i]?.handle as { page?: ResolvedPage } | undefined)?.page;
    if (page) return page;
  }
  return undefined;
}

function OrgSwitcher() {
  const t = useT();
  const label = useLabel();
  const { orgs, currentOrgId, setCurrentOrgId } = useSession();
  if (orgs.length <= 1) {
    const only = orgs[0];
    return only ? (
      <Typography.Text data-testid="org-current" className="erp-org-current">
        {only.code} {label(only)}
      </Typography.Text>
    ) : null;
  }
  return (
    <Space size={4}>
      <Typography.Text type="secondary" className="erp-hide-phone">
        {t('shell.currentOrg')}
      </Typography.Text>
      <OrgSelect
        value={currentOrgId ?? undefined}
        placeholder={t('shell.allOrgs')}
        onChange={(v) => setCurrentOrgId((v as number | undefined) ?? null)}
        className="erp-org-switcher"
        size="small"
        data-testid="org-switcher"
        popupMatchSelectWidth={300}
      />
    </Space>
  );
}

function UserMenu({ onChangePassword }: { onChangePassword: () => void }) {
  const t = useT();
  const { me, logout, logoutEverywhere } = useSession();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  if (!me) return null;
  const items: MenuProps['items'] = [
    { key: 'password', icon: <KeyOutlined />, label: t('shell.changePassword'), onClick: onChangePassword },
    { key: 'docs', icon: <ApiOutlined />, label: <a href="/api/docs">{t('shell.apiDocs')}</a> },
    { type: 'divider' },
    {
      key: 'logout-all',
      icon: <PoweroffOutlined />,
      label: t('shell.logoutAll'),
      onClick: () =>
        modal.confirm({
          title: t('common.confirmTitle'),
          content: t('shell.logoutAllConfirm'),
          onOk: async () => {
            try {
              await logoutEverywhere();
              navigate('/login', { replace: true });
            } catch (e) {
              message.error(errorText(e));
            }
          },
        }),
    },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: t('shell.logout'),
      onClick: async () => {
        await logout().catch(() => undefined);
        navigate('/login', { replace: true });
      },
    },
  ];
  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <Button type="text" data-testid="user-menu">
        <UserOutlined />
        <span className="erp-hide-phone">{me.name}</span>
        <Typography.Text type="secondary" className="erp-hide-phone">
          ({me.login})
        </Typography.Text>
        <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}

/** The shell: grouped menu of granted pages, header (org switcher, language, user), breadcrumbs, the page. */
export function AppLayout() {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const location = useLocation();
  const current = useCurrentPage();
  // On a phone the menu is a drawer over the page, closed until asked for and closed again on navigation.
  const phone = Grid.useBreakpoint().md === false;
  const [stored, setStored] = useState(() => localStorage.getItem('erp.menu.collapsed') === '1');
  const [phoneOpen, setPhoneOpen] = useState(false);
  const collapsed = phone ? !phoneOpen : stored;
  const setCollapsed = (c: boolean) => {
    if (phone) setPhoneOpen(!c);
    else {
      localStorage.setItem('erp.menu.collapsed', c ? '1' : '0');
      setStored(c);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new location closes the phone menu.
  useEffect(() => setPhoneOpen(false), [location.pathname]);
  const [pwdOpen, setPwdOpen] = useState(false);
  const [openKeys, setOpenKeys] = useState<string[]>([]);

  const menuPage = current?.menu === false && current.parent ? pageByPath(current.parent) : current;
  const activeGroup = menuPage?.group ?? null;
  useEffect(() => {
    if (activeGroup) setOpenKeys((keys) => (keys.includes(activeGroup) ? keys : [...keys, activeGroup]));
  }, [activeGroup]);

  const menuItems = useMemo<MenuProps['items']>(() => {
    const visible = pages.filter((p) => p.group && !p.path.includes(':') && session.canAny(grantsOf(p)));
    const items: NonNullable<MenuProps['items']> = [
      { key: '/', icon: <HomeOutlined />, label: <Link to="/">{t('app.home')}</Link> },
    ];
    for (const g of menuGroups) {
      const children = visible
        .filter((p) => p.group === g.key)
        .sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
        .map((p) => ({ key: p.path, label: <Link to={p.path}>{p.label(locale)}</Link> }));
      if (children.length) items.push({ key: g.key, icon: g.icon, label: g.label(locale), children });
    }
    return items;
  }, [session, locale, t]);

  if (session.loading)
    return (
      <div className="erp-page-loading">
        <Spin size="large" />
      </div>
    );
  if (!session.me) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }

  const crumbs = [{ title: <Link to="/">{t('app.home')}</Link> }];
  if (current) {
    const group = menuGroups.find((g) => g.key === (menuPage?.group ?? current.group));
    if (group) crumbs.push({ title: <span>{group.label(locale)}</span> });
    const parent = current.parent ? pageByPath(current.parent) : undefined;
    if (parent) crumbs.push({ title: <Link to={parent.path}>{parent.label(locale)}</Link> });
    crumbs.push({ title: <span>{current.label(locale)}</span> });
  }

  return (
    <Layout className="erp-shell">
      <Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={208}
        collapsedWidth={phone ? 0 : 56}
        theme="dark"
        className={phone ? 'erp-sider erp-sider-phone' : 'erp-sider'}
      >
        <Link to="/" className="erp-logo">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          {!collapsed && <span>{t('app.name')}</span>}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          items={menuItems}
          selectedKeys={[menuPage?.path ?? (location.pathname === '/' ? '/' : '')]}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={(keys) => setOpenKeys(keys as string[])}
          data-testid="side-menu"
        />
      </Sider>
      <Layout>
        <Header className="erp-header">
          <Space>
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              aria-label={t('shell.collapse')}
              onClick={() => setCollapsed(!collapsed)}
              data-testid="menu-toggle"
            />
            {!phone && <Breadcrumb items={crumbs} data-testid="breadcrumbs" />}
          </Space>
          <Space size="middle">
            <OrgSwitcher />
            <LanguageSwitch />
            <UserMenu onChangePassword={() => setPwdOpen(true)} />
          </Space>
        </Header>
        <Content className="erp-content">
          <Outlet />
        </Content>
      </Layout>
      {phone && phoneOpen && <div className="erp-sider-mask" onClick={() => setPhoneOpen(false)} aria-hidden />}
      <ChangePasswordModal open={pwdOpen} onClose={() => setPwdOpen(false)} />
    </Layout>
  );
}
