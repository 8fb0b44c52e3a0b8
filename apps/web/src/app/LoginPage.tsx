import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { loginBody } from '@erp/contracts';
import { Alert, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { FormError } from '../shared/FormError';
import { useZodForm } from '../shared/forms';
import { useLocale, useT } from '../shared/i18n';
import { useSession } from '../shared/session';
import { LanguageSwitch } from './LanguageSwitch';

function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const t = useT();
  const { locale } = useLocale();
  const { me, loading, login } = useSession();
  const navigate = useNavigate();
  const [sp] = useSearchParams();
  const [form] = Form.useForm();
  const zf = useZodForm(loginBody, form);
  const next = safeNext(sp.get('next'));
  const [expired] = useState(() => {
    const was = sessionStorage.getItem('erp.expired') === '1';
    sessionStorage.removeItem('erp.expired');
    return was;
  });

  useEffect(() => {
    document.title = `${t('login.title')} - ${t('app.name')}`;
  }, [t]);

  if (loading)
    return (
      <div className="erp-page-loading">
        <Spin />
      </div>
    );
  if (me) return <Navigate to={next} replace />;

  return (
    <div className="erp-login">
      <div className="erp-login-lang">
        <LanguageSwitch />
      </div>
      <div className="erp-login-panel">
        <div className="erp-login-brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
        </div>
        <Card title={t('login.title')} variant="outlined">
          <Form
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={(values) =>
              zf.submit(values, async (cmd) => {
                await login(cmd.login, cmd.password);
                navigate(next, { replace: true });
              })
            }
          >
            {expired && !zf.error && (
              <Alert type="warning" showIcon title={t('shell.sessionExpired')} style={{ marginBottom: 16 }} />
            )}
            <FormError error={zf.error} />
            <Form.Item label={t('login.login')} {...zf.item('login')}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" data-testid="login-name" />
            </Form.Item>
            <Form.Item label={t('login.password')} {...zf.item('password')}>
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                size="large"
                data-testid="login-password"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={zf.submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }} key={locale}>
          {t('login.demo')}
        </Typography.Paragraph>
      </div>
    </div>
  );
}
