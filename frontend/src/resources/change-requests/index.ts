import AssignmentIndIcon from '@mui/icons-material/AssignmentInd';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import type { ChangeRequest } from '../../providers/contracts';
import { ChangeRequestList } from './ChangeRequestList';
import { ChangeRequestShow } from './ChangeRequestShow';
import { MyRequestList } from './MyRequestList';
import { requestLabel } from './requestLabel';
import { statusLabel } from './requestState';

const recordRepresentation = (request: ChangeRequest) =>
  `${requestLabel(request)} (${statusLabel(request.status)})`;

/** The reviewers' queue: the kinds of request their permissions give them. */
export default {
  list: ChangeRequestList,
  show: ChangeRequestShow,
  icon: FactCheckIcon,
  options: { label: 'Change requests' },
  recordRepresentation,
};

/** "My requests": the requests the signed-in person filed, each opened on the same page. */
export const myChangeRequests = {
  list: MyRequestList,
  show: ChangeRequestShow,
  icon: AssignmentIndIcon,
  options: { label: 'My requests' },
  recordRepresentation,
};
