import { useGetIdentity, type UserIdentity } from 'react-admin';
import type { Me } from '@custodian/shared';

/** What `authProvider.getIdentity` returns: react-admin's identity plus the person's facts. */
export type CustodianIdentity = UserIdentity &
  Pick<Me, 'email' | 'roles' | 'permissions' | 'mfaEnabled' | 'mfaEnrolmentRequired' | 'authMethod'>;

/** The signed-in person, cached by react-admin and dropped on sign-out. */
export function useMe(): { me: CustodianIdentity | undefined; isPending: boolean } {
  const { identity, isPending } = useGetIdentity();
  return { me: identity as CustodianIdentity | undefined, isPending };
}
