import { FileExcelOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { download, errorText, type Query } from './api';
import { useT } from './i18n';

/** Downloads a list's Excel export (the server builds the file with the list's current filters). */
export function ExportButton({ url, query, fileName }: { url: string; query?: Query; fileName?: string | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      icon={<FileExcelOutlined />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await download(url, query, fileName ?? 'export.xlsx');
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {busy ? t('common.exporting') : t('common.export')}
    </Button>
  );
}
