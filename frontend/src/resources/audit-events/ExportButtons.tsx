import { Button } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useListContext } from 'react-admin';
import { Permission } from '@custodian/shared';
import { auditExportUrl } from '../../providers/dataProvider';
import { usePermission } from '../policy/usePermission';

/**
 * Plain links to the streamed export with the list's current filters: the browser downloads the
 * file with the session cookie, and the API records the export as an audit event.
 */
export const ExportButtons = () => {
  const { filterValues } = useListContext();
  const allowed = usePermission(Permission.AuditExport);
  if (!allowed) return null;
  return (
    <>
      <Button size="small" startIcon={<DownloadIcon />} href={auditExportUrl(filterValues, 'csv')} download>
        Export CSV
      </Button>
      <Button size="small" startIcon={<DownloadIcon />} href={auditExportUrl(filterValues, 'jsonl')} download>
        Export JSON lines
      </Button>
    </>
  );
};
