import KeyIcon from '@mui/icons-material/Key';
import type { TokenSummary } from '@custodian/shared';
import { TokenList } from './TokenList';

export { createTokensDataProvider } from './tokensDataProvider';

export default {
  list: TokenList,
  icon: KeyIcon,
  options: { label: 'My tokens' },
  recordRepresentation: (record: TokenSummary) => record.name,
};
