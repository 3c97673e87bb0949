// The test OpenID provider's one client (tests/support/oidc-provider.ts), as the portals under test are configured with it.
export const OIDC_CLIENT = { id: 'meldpunt', secret: 'een-geheim-voor-de-tests-alleen' } as const;
