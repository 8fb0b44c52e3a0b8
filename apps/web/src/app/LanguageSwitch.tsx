import { TranslationOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useLocale, useT } from '../shared/i18n';

/** zh-CN / English; the choice is kept in the browser and sent to the server as Accept-Language. */
export function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: [
          { key: 'zh-CN', label: t('lang.zh'), onClick: () => setLocale('zh-CN') },
          { key: 'en', label: t('lang.en'), onClick: () => setLocale('en') },
        ],
      }}
    >
      <Button type="text" icon={<TranslationOutlined />} data-testid="lang-switch" aria-label={t('lang.switch')}>
        {locale === 'en' ? 'English' : '中文'}
      </Button>
    </Dropdown>
  );
}
