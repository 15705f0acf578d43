import { AccessDenied as RaAccessDenied, Loading, Navigate } from 'react-admin';
import { MFA_ENROLMENT_PATH } from '../providers/authProvider';
import { useMe } from './useMe';

/**
 * react-admin's access-denied page, except for a person who must enrol MFA first: everything is
 * closed to them until then, so they go to the enrolment page instead.
 */
export const AccessDenied = () => {
  const { me, isPending } = useMe();
  if (isPending) return <Loading />;
  if (me?.mfaEnrolmentRequired) return <Navigate to={MFA_ENROLMENT_PATH} replace />;
  return <RaAccessDenied />;
};
