import HistoryEduIcon from '@mui/icons-material/HistoryEdu';
import type { AuditEvent } from '@custodian/shared';
import { AuditEventList } from './AuditEventList';
import { AuditEventShow } from './AuditEventShow';

export default {
  list: AuditEventList,
  show: AuditEventShow,
  icon: HistoryEduIcon,
  options: { label: 'Audit log' },
  recordRepresentation: (event: AuditEvent) => `#${event.seq} ${event.action}`,
};
