import { Spin } from 'antd';
import { type ReactNode, Suspense, useEffect } from 'react';
import { useLocale } from '../shared/i18n';
import { commonMessages } from '../shared/messages';
import { useSession } from '../shared/session';
import { ForbiddenPage } from './ErrorPages';
import { grantsOf, type ResolvedPage } from './registry';

/** Opens a page only for users holding one of its grants (others get 403), and names the browser tab after it. */
export function Guard({ page, children }: { page: ResolvedPage; children: ReactNode }) {
  const { canAny } = useSession();
  const { locale } = useLocale();
  const allowed = canAny(grantsOf(page));
  useEffect(() => {
    document.title = `${page.label(locale)} - ${commonMessages[locale]['app.name']}`;
  }, [page, locale]);
  if (!allowed) return <ForbiddenPage />;
  return (
    <Suspense
      fallback={
        <div className="erp-page-loading">
          <Spin />
        </div>
      }
    >
      {children}
    </Suspense>
  );
}
