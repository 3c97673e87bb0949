import * as client from 'openid-client';
import { audit } from '#features/audit/audit.repo.server.ts';
import { config, type OidcConfig } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { noticeCoordinatorRole } from './credentials.server.ts';
import { startSession } from './login.server.ts';
import { beginOidcLogin, takeOidcLogin } from './oidc-logins.repo.server.ts';
import { roleFromClaim, textClaim } from './oidc.rules.ts';
import type { Role } from './roles.schema.ts';
import { deleteSessionsOfUser } from './sessions.repo.server.ts';
import { findUserByOidc, upsertSsoUser } from './users.repo.server.ts';

/**
 * Staff single sign-on with OpenID Connect (spec §6a), with openid-client: the authorization code flow
 * with PKCE, state and nonce. The callback is PUBLIC_URL + /intern/inloggen/oidc. Accounts are keyed by
 * issuer and `sub`; name, e-mail and role come from the claims at every login (a role taken away at the
 * provider takes effect at the next login). Every login, successful or refused, is audited.
 */

export const OIDC_CALLBACK_PATH = '/intern/inloggen/oidc';

let discovered: Promise<client.Configuration> | undefined;

/** The provider's configuration, discovered once (again after a failure). Plain http only outside production. */
function provider(oidc: OidcConfig): Promise<client.Configuration> {
  const insecure = oidc.issuer.startsWith('http://') && !config().production;
  discovered ??= client
    .discovery(new URL(oidc.issuer), oidc.clientId, undefined, client.ClientSecretBasic(oidc.clientSecret), insecure ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 })
    .catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
  return discovered;
}

const callbackUrl = () => `${config().publicUrl}${OIDC_CALLBACK_PATH}`;

/** Starts a login: where to send the browser, and the binding token for its cookie. */
export async function startOidcLogin(returnTo: string | undefined, at: Date): Promise<{ location: string; binding: string }> {
  const oidc = config().oidc;
  if (!oidc) throw new Error('single sign-on is not configured');
  const c = await provider(oidc);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(c, {
    redirect_uri: callbackUrl(),
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const binding = beginOidcLogin({ state, nonce, codeVerifier, returnTo }, at);
  return { location: url.href, binding };
}

export type OidcResult =
  | { ok: true; token: string; role: Role; returnTo: string | undefined }
  | { ok: false; reason: 'failed' | 'no-role' | 'disabled' };

/**
 * The provider sent the browser back (`search`: the callback's query). Checks state, nonce and PKCE
 * (openid-client), then the role; `binding`: the cookie of the login in progress.
 */
export async function finishOidcLogin(binding: string | undefined, search: string, ip: string, at: Date): Promise<OidcResult> {
  const oidc = config().oidc;
  const refuse = (reason: 'failed' | 'no-role' | 'disabled', detail: string, user?: { id: number; role: Role }): OidcResult => {
    audit({ actorId: user?.id, actorRole: user?.role ?? 'onbekend', action: 'inloggen_sso', objectType: 'sessie', result: reason === 'failed' ? 'mislukt' : 'geweigerd', clientIp: ip, detail }, at);
    return { ok: false, reason };
  };
  const login = takeOidcLogin(binding, at);
  if (!oidc || !login) return refuse('failed', 'geen lopende inlogpoging');
  let claims: client.IDToken;
  try {
    const c = await provider(oidc);
    const tokens = await client.authorizationCodeGrant(c, new URL(`${callbackUrl()}${search}`), {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims() ?? ({} as client.IDToken);
  } catch (error) {
    // The error's code only (a state that does not match, a refused code): no claims, no tokens in the log.
    const code = error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'onbekend';
    return refuse('failed', `geweigerd door controle: ${String(code).slice(0, 80)}`);
  }
  const issuer = claims.iss;
  const subject = claims.sub;
  const existing = findUserByOidc(issuer, subject);
  const role = roleFromClaim(claims[oidc.rolesClaim], oidc.roleMap);
  if (!role) {
    // The role was taken away at the provider: any session still open ends too.
    if (existing) deleteSessionsOfUser(existing.id);
    return refuse('no-role', 'geen rol voor het meldpunt', existing);
  }
  if (existing?.disabled) return refuse('disabled', 'account geblokkeerd', existing);
  const email = textClaim(claims['email'], 254) ?? textClaim(claims['preferred_username'], 254) ?? `${subject.slice(0, 240)}@sso`;
  const name = textClaim(claims['name'], 200) ?? email;
  const serviceNumber = oidc.serviceNumberClaim ? textClaim(claims[oidc.serviceNumberClaim], 50) : undefined;
  return db().transaction((): OidcResult => {
    const id = upsertSsoUser({ issuer, subject, email, name, role, serviceNumber }, at);
    if (existing && existing.role !== role) deleteSessionsOfUser(id);
    const token = startSession(id, at);
    audit({ actorId: id, actorRole: role, action: 'inloggen_sso', objectType: 'sessie', result: 'gelukt', clientIp: ip, detail: existing ? (existing.role !== role ? `rol ${role} van de organisatie` : undefined) : `nieuw account, rol ${role}` }, at);
    if (role === 'coordinator' && existing?.role !== 'coordinator') noticeCoordinatorRole(id, { id, role, ip }, at);
    return { ok: true, token, role, returnTo: login.returnTo };
  }).immediate();
}

/** Where the provider ends its own session, then sends the browser to `back`; undefined when it offers no end-session. */
export async function endSessionUrl(back: string): Promise<string | undefined> {
  const oidc = config().oidc;
  if (!oidc) return undefined;
  try {
    const c = await provider(oidc);
    if (!c.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(c, { client_id: oidc.clientId, post_logout_redirect_uri: back }).href;
  } catch {
    return undefined;
  }
}
