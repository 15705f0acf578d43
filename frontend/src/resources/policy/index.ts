import PolicyIcon from '@mui/icons-material/Policy';
import { PolicyPage } from './PolicyPage';

/** A single page rather than a list of records: declared as a resource so the menu shows it. */
export default {
  list: PolicyPage,
  icon: PolicyIcon,
  options: { label: 'Policy' },
};
