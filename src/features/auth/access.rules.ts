import type { Role } from './roles.schema.ts';

/**
 * Who may open which staff route (spec §6), by the route pattern Astro matched — so an encoded or
 * doubled path that reaches a page is judged as that page. A route under /intern that is not listed
 * here is refused to everyone: a new page must be given its roles.
 */
const ALL: Role[] = ['kcc', 'boa', 'coordinator', 'admin'];

const ACCESS: [prefix: string, roles: Role[] | 'anonymous'][] = [
  ['/intern/inloggen', 'anonymous'],
  ['/intern/wachtwoord-vergeten', 'anonymous'],
  ['/intern/wachtwoord-instellen', 'anonymous'],
  ['/intern/welkom', 'anonymous'],
  ['/intern/uitloggen', ALL],
  ['/intern/account', ALL],
  ['/intern/kcc/', ['kcc', 'coordinator']],
  ['/intern/boa/', ['boa', 'coordinator']],
  ['/intern/politie/', ['kcc', 'coordinator']],
  ['/intern/triage', ['coordinator']],
  ['/intern/monitor', ['coordinator']],
  ['/intern/casussen', ['coordinator']],
  ['/intern/overleggen', ['coordinator']],
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

/** Only a path inside /intern may be a place to return to after login. */
export function safeReturnTo(value: string | null | undefined): string | undefined {
  if (!value || value.length > 300) return undefined;
  if (!/^\/intern(\/[A-Za-z0-9/_-]*)?(\?[A-Za-z0-9=&_%-]*)?$/.test(value) || value.includes('//')) return undefined;
  if (value.startsWith('/intern/inloggen') || value.startsWith('/intern/uitloggen')) return undefined;
  return value;
}
