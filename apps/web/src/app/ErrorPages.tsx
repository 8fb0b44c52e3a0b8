import { Button, Result } from 'antd';
import { isRouteErrorResponse, useNavigate, useRouteError } from 'react-router';
import { useT } from '../shared/i18n';

export function ForbiddenPage() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t('error.403.title')}
      subTitle={t('error.403.text')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('error.backHome')}
        </Button>
      }
    />
  );
}

export function NotFoundPage() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('error.404.title')}
      subTitle={t('error.404.text')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('error.backHome')}
        </Button>
      }
    />
  );
}

/** Shown when a screen throws while rendering: the app stays usable, the error is named. */
export function CrashPage() {
  const t = useT();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  const detail = error instanceof Error ? error.message : String(error ?? '');
  return (
    <Result
      status="error"
      title={t('error.crash.title')}
      subTitle={
        <>
          {t('error.crash.text')}
          {detail ? <div style={{ marginTop: 8, fontFamily: 'monospace', fontSize: 12 }}>{detail}</div> : null}
        </>
      }
      extra={
        <Button type="primary" onClick={() => window.location.assign('/')}>
          {t('error.backHome')}
        </Button>
      }
    />
  );
}
