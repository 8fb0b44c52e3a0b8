import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** A page's title row: title (and optional sub-title) on the left, the page's main actions on the right. */
export function PageHeader({ title, subTitle, extra }: { title: ReactNode; subTitle?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="erp-page-header">
      <div className="erp-page-title">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {subTitle ? <Typography.Text type="secondary">{subTitle}</Typography.Text> : null}
      </div>
      {extra ? <div className="erp-page-extra">{extra}</div> : null}
    </div>
  );
}
