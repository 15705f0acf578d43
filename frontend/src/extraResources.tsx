import type { ReactElement } from 'react';
import { Resource } from 'react-admin';
import auditEvents from './resources/audit-events';
import bulkOperations from './resources/bulk-operations';
import changeRequests, { myChangeRequests } from './resources/change-requests';
import policy from './resources/policy';
import { guardResource } from './auth';

/**
 * Resources and custom routes of the policy, audit and operations pages, kept apart from App.tsx so
 * that they can be built alongside the sign-in and staff pages. App.tsx renders both lists.
 *
 * The menu lists a resource only where `authProvider.canAccess({ resource, action: 'list' })`
 * allows: change requests to their reviewers (change_request.read or staff.read), "My requests"
 * to whoever may file one, the audit log with audit.read, the policy page for everyone signed in
 * (its access review asks `policy` / `review`, i.e. policy.read).
 *
 * Each page checks the same access before it renders (guardResource): a URL typed or bookmarked
 * by someone without the permission shows "Access denied" and asks the API for nothing.
 */
export const extraResources: ReactElement[] = [
  <Resource
    key="change-requests"
    name="change-requests"
    {...guardResource('change-requests', changeRequests)}
  />,
  <Resource
    key="my-change-requests"
    name="my-change-requests"
    {...guardResource('my-change-requests', myChangeRequests)}
  />,
  <Resource key="audit-events" name="audit-events" {...guardResource('audit-events', auditEvents)} />,
  <Resource key="policy" name="policy" {...guardResource('policy', policy)} />,
  <Resource
    key="bulk-operations"
    name="bulk-operations"
    {...guardResource('bulk-operations', bulkOperations)}
  />,
];
export const extraRoutes: ReactElement[] = [];
