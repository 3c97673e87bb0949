import type { Role } from './roles.schema.ts';

/**
 * Who may open which staff route (spec §6), by the route pattern Astro matched — so an encoded or
 * doubled path that reaches a page is judged as that page. A route under /intern that is not listed
 * here is refused to everyone: a new page must be given its roles.
 */
const ALL: Role[] = ['kcc', 'boa', 'coordinator', 'admin'];

const ACCESS: [prefix: string, roles: Role[] | 'anonymous'][] = [
  ['/intern/inloggen', 'anonymous'],
  ['/intern/uitloggen', ALL],
  ['/intern/kcc/', ['kcc', 'coordinator']],
  ['/intern/boa/', ['boa', 'coordinator']],
  ['/intern/triage', ['coordinator']],
  ['/intern/monitor', ['coordinator']],
  ['/intern/beheer', ['admin']],
];

export type Access = Role[] | 'anonymous' | 'public';

export function accessFor(routePattern: string): Access {
  if (routePattern !== '/intern' && !routePattern.startsWith('/intern/')) return 'public';
  if (routePattern === '/intern') return ALL;
  for (const [prefix, roles] of ACCESS) {
    if (routePattern === prefix || routePattern.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) return roles;
  }
  return [];
}
