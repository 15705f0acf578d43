import PeopleIcon from '@mui/icons-material/People';
import type { AccountSummary } from '@custodian/shared';
import { AccountList } from './AccountList';
import { AccountShow } from './AccountShow';

export default {
  list: AccountList,
  show: AccountShow,
  icon: PeopleIcon,
  recordRepresentation: (record: AccountSummary) => record.handle,
};
