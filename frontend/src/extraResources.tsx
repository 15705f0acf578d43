import type { ReactElement } from 'react';

/**
 * Resources and custom routes of the policy, audit and operations pages, kept apart from App.tsx so
 * that they can be built alongside the sign-in and staff pages. App.tsx renders both lists.
 */
export const extraResources: ReactElement[] = [];
export const extraRoutes: ReactElement[] = [];
