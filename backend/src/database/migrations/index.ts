import { CustomerData1764100000000 } from './1764100000000-CustomerData';
import { StaffIdentity1764200000000 } from './1764200000000-StaffIdentity';
import { AuditAndReveal1764300000000 } from './1764300000000-AuditAndReveal';
import { ChangeRequests1764400000000 } from './1764400000000-ChangeRequests';
import { AuditCheckpoints1764500000000 } from './1764500000000-AuditCheckpoints';
import { BulkOperations1764600000000 } from './1764600000000-BulkOperations';
import { AuditPartitions1764700000000 } from './1764700000000-AuditPartitions';
import { RevealGrantExpiry1764800000000 } from './1764800000000-RevealGrantExpiry';
import { AccountSearchByRecency1764910000000 } from './1764910000000-AccountSearchByRecency';
import { AuditSealAtCommit1765000000000 } from './1765000000000-AuditSealAtCommit';
import { AuditChainTip1765100000000 } from './1765100000000-AuditChainTip';
import { AuthChangeNotify1765200000000 } from './1765200000000-AuthChangeNotify';
import { AuditPendingKeepsPages1765300000000 } from './1765300000000-AuditPendingKeepsPages';
import { AccountSearchFolded1765400000000 } from './1765400000000-AccountSearchFolded';
import { ChangeRequestsByRequester1765460000000 } from './1765460000000-ChangeRequestsByRequester';
import { AuditSealByIndex1765500000000 } from './1765500000000-AuditSealByIndex';

/** In order; listed explicitly so the build needs no file globbing. */
export const MIGRATIONS = [
  CustomerData1764100000000,
  StaffIdentity1764200000000,
  AuditAndReveal1764300000000,
  ChangeRequests1764400000000,
  AuditCheckpoints1764500000000,
  BulkOperations1764600000000,
  AuditPartitions1764700000000,
  RevealGrantExpiry1764800000000,
  AccountSearchByRecency1764910000000,
  AuditSealAtCommit1765000000000,
  AuditChainTip1765100000000,
  AuthChangeNotify1765200000000,
  AuditPendingKeepsPages1765300000000,
  AccountSearchFolded1765400000000,
  ChangeRequestsByRequester1765460000000,
  AuditSealByIndex1765500000000,
];
