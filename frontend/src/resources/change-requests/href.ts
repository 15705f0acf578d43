/**
 * The address of a change request's page: in the reviewers' queue, or under "My requests" for
 * the person who filed it (the same page, reached from the list they know).
 */
export function changeRequestHref(
  changeRequestId: string,
  list: 'change-requests' | 'my-change-requests' = 'change-requests',
): string {
  return `#/${list}/${encodeURIComponent(changeRequestId)}/show`;
}
