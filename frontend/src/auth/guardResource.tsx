import type { ComponentType } from 'react';
import { Loading, useCanAccess } from 'react-admin';
import { AccessDenied } from './AccessDenied';

/** The pages of a resource definition, and the action each one is asked for in `canAccess`. */
const PAGE_ACTIONS = { list: 'list', show: 'show', edit: 'edit', create: 'create' } as const;
type Page = keyof typeof PAGE_ACTIONS;

/**
 * `Page`, rendered only once `canAccess({ resource, action })` allows it, and "Access denied"
 * otherwise. A page's own parts (a chain badge, an export button, a custom hook) may ask the API
 * before react-admin's list or form checks access; a page that is never rendered asks for
 * nothing, so a refused person leaves no 403s and no access.denied events behind.
 */
function requireAccess<P extends object>(resource: string, action: string, Page: ComponentType<P>) {
  const Guarded = (props: P) => {
    const { canAccess, isPending } = useCanAccess({ resource, action });
    if (isPending) return <Loading />;
    if (!canAccess) return <AccessDenied />;
    return <Page {...props} />;
  };
  Guarded.displayName = `RequireAccess(${resource}.${action})`;
  return Guarded;
}

/** A `<Resource>` definition whose pages each check access first (see requireAccess). */
export function guardResource<D extends Partial<Record<Page, ComponentType<object>>>>(
  resource: string,
  definition: D,
): D {
  const guarded: Record<string, unknown> = { ...definition };
  for (const page of Object.keys(PAGE_ACTIONS) as Page[]) {
    const Component = definition[page];
    if (Component) guarded[page] = requireAccess(resource, PAGE_ACTIONS[page], Component);
  }
  return guarded as D;
}
