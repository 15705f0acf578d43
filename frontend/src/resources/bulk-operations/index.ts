import PlaylistAddCheckIcon from '@mui/icons-material/PlaylistAddCheck';
import { BulkOperationsPage } from './BulkOperationsPage';

/**
 * The bulk operations page is the resource's list route (`/bulk-operations`), so that the menu
 * can link to it; the page itself asks `canAccess('bulk-operations', 'create')`.
 */
export default {
  list: BulkOperationsPage,
  icon: PlaylistAddCheckIcon,
  options: { label: 'Bulk operations' },
};
