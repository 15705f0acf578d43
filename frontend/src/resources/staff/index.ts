import BadgeIcon from '@mui/icons-material/Badge';
import type { StaffMember } from '@custodian/shared';
import { StaffCreate } from './StaffCreate';
import { StaffEdit } from './StaffEdit';
import { StaffList } from './StaffList';

export { createStaffDataProvider } from './staffDataProvider';

export default {
  list: StaffList,
  create: StaffCreate,
  edit: StaffEdit,
  icon: BadgeIcon,
  options: { label: 'Staff' },
  recordRepresentation: (record: StaffMember) => record.displayName,
};
