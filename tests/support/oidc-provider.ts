// A local OpenID provider for the single sign-on tests (../shared/guides/testing.md): oidc-provider 9 with
// its development interaction pages (a login form that accepts any login name), one client with the
// portals' callbacks, and claims the tests set per login name before they log in.
// Usage: node tests/support/oidc-provider.ts <port> <portal origin> [<portal origin> …]
//   POST /test/accounts {"sub","roles","name","email","dienstnummer"}  sets what the provider says about a login name
//   GET  /health
import { createServer } from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import { OIDC_CLIENT } from './oidc-client.ts';

const [port, ...portals] = process.argv.slice(2);
if (!port || portals.length === 0) throw new Error('usage: oidc-provider.ts <port> <portal origin> …');


interface Claims {
  roles: string[];
  name: string;
  email: string;
  dienstnummer?: string;
}
const accounts = new Map<string, Claims>();

const configuration: Configuration = {
  clients: [
    {
      client_id: OIDC_CLIENT.id,
      client_secret: OIDC_CLIENT.secret,
      redirect_uris: portals.map((p) => `${p}/intern/inloggen/oidc`),
      post_logout_redirect_uris: portals.map((p) => `${p}/intern/inloggen?uitgelogd=1`),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // The claims go into the ID token (the portal reads them there, as from Entra ID).
  conformIdTokenClaims: false,
  claims: { openid: ['sub', 'roles', 'dienstnummer'], email: ['email'], profile: ['name'] },
  findAccount: (_ctx, sub) => ({
    accountId: sub,
    claims: () => {
      const a = accounts.get(sub);
      return { sub, roles: a?.roles ?? [], name: a?.name ?? sub, email: a?.email ?? `${sub}@organisatie.example`, ...(a?.dienstnummer ? { dienstnummer: a.dienstnummer } : {}) };
    },
  }),
  // No consent page: the test client is the organisation's own portal.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['test-cookie-key-1'] },
  pkce: { required: () => true },
};

const provider = new Provider(`http://127.0.0.1:${port}`, configuration);
const callback = provider.callback();

createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    return;
  }
  if (req.url === '/test/accounts' && req.method === 'POST') {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { sub, ...claims } = JSON.parse(body) as Claims & { sub: string };
      accounts.set(sub, claims);
      res.writeHead(204).end();
    });
    return;
  }
  callback(req, res);
}).listen(Number(port), '127.0.0.1');
