import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { type ComponentType, lazy, useMemo } from 'react';
import { createBrowserRouter, matchPath, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { useLocale } from '../shared/i18n';
import { SessionProvider } from '../shared/session';
import { AppLayout } from './AppLayout';
import { CrashPage, NotFoundPage } from './ErrorPages';
import { Guard } from './Guard';
import { HomePage } from './HomePage';
import { LoginPage } from './LoginPage';
import { pages } from './registry';

/** One lazily loaded component per page: a feature's code is fetched when its page is first opened. */
const components = new Map<string, ComponentType>(pages.map((p) => [p.path, lazy(p.load)]));

const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage />, errorElement: <CrashPage /> },
  {
    path: '/',
    element: <AppLayout />,
    errorElement: <CrashPage />,
    children: [
      { index: true, element: <HomePage /> },
      ...pages.map((p) => {
        const Component = components.get(p.path)!;
        return {
          path: p.path.replace(/^\//, ''),
          handle: { page: p },
          element: (
            <Guard page={p}>
              <Component />
            </Guard>
          ),
          errorElement: <CrashPage />,
        } satisfies RouteObject;
      }),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

const router = createBrowserRouter(routes);

// Fetch the first page's code while the session is being checked, not after (no request waterfall).
const first = pages.find((p) => matchPath(p.path, window.location.pathname));
if (first) void first.load().catch(() => undefined);

export function App() {
  const { locale } = useLocale();
  const antdLocale = useMemo(() => (locale === 'en' ? enUS : zhCN), [locale]);
  return (
    <ConfigProvider
      locale={antdLocale}
      theme={{
        algorithm: theme.compactAlgorithm,
        token: { colorPrimary: '#1466d8', borderRadius: 4, fontSize: 13 },
        components: { Layout: { headerHeight: 48, headerPadding: '0 16px', headerBg: '#fff' } },
      }}
    >
      <AntApp>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
