import FactCheckIcon from '@mui/icons-material/FactCheck';
import type { ChangeRequest } from '../../providers/contracts';
import { ChangeRequestList } from './ChangeRequestList';
import { ChangeRequestShow } from './ChangeRequestShow';

export default {
  list: ChangeRequestList,
  show: ChangeRequestShow,
  icon: FactCheckIcon,
  options: { label: 'Change requests' },
  recordRepresentation: (request: ChangeRequest) => `${request.operation} (${request.status})`,
};
