import { Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { useLabel, useLocale, useT } from '../shared/i18n';
import { OrgKindTag } from '../shared/orgs';
import { useMe, useSession } from '../shared/session';
import { grantsOf, menuGroups, pages } from './registry';

/** Landing page: who and where the user is, and the screens they may open, by module. */
export function HomePage() {
  const t = useT();
  const { locale } = useLocale();
  const label = useLabel();
  const me = useMe();
  const { canAny, orgs } = useSession();
  const home = orgs.find((o) => o.id === me.orgId);
  useEffect(() => {
    document.title = t('app.name');
  }, [t]);
  const visible = pages.filter((p) => p.group && !p.path.includes(':') && canAny(grantsOf(p)));
  return (
    <div>
      <Card variant="outlined" style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: me.name })}
        </Typography.Title>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('common.org')}>
            {home ? (
              <>
                {home.code} {label(home)} <OrgKindTag kind={home.kind} />
              </>
            ) : (
              me.orgId
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('login.login')}>{me.login}</Descriptions.Item>
          <Descriptions.Item label={t('common.status')}>
            <Tag color="blue">{t('home.grants', { count: me.grants.length })}</Tag>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        {menuGroups.map((g) => {
          const items = visible.filter((p) => p.group === g.key).sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
          if (!items.length) return null;
          return (
            <Col key={g.key} xs={24} md={12} xl={8}>
              <Card
                size="small"
                title={
                  <span>
                    {g.icon} {g.label(locale)}
                  </span>
                }
              >
                <div className="erp-home-links">
                  {items.map((p) => (
                    <Link key={p.path} to={p.path}>
                      {p.label(locale)}
                    </Link>
                  ))}
                </div>
              </Card>
            </Col>
          );
        })}
      </Row>
    </div>
  );
}
