import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'astro/zod';
import demoMunicipality from './westerkwartier.json' with { type: 'json' };
import { LOOPBACK_PROXIES, trustedProxies, type TrustedProxies } from './http.ts';

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/);

/** The municipality's own settings: texts, numbers, norms and look. Never code. */
export const municipalitySchema = z.object({
  meldpuntName: z.string().min(1),
  municipalityName: z.string().min(1),
  /** The municipality's own number, shown next to 0800-1205 when set. */
  municipalityPhone: z.string().optional(),
  openingHours: z.string().min(1),
  /** The national non-urgent number for worries about someone (Meldpunt Zorg en Overlast). */
  nationalPhone: z.string().min(1),
  privacyEmail: z.email(),
  /** The controller (verwerkingsverantwoordelijke) named in the privacy statement, e.g. "het college van B en W van …". */
  controller: z.object({
    name: z.string().min(1),
    /** Postal address, one line. */
    address: z.string().min(1),
  }),
  /** The privacy officer (functionaris gegevensbescherming, FG), named in the privacy statement. */
  privacyOfficer: z.object({
    name: z.string().min(1),
    email: z.email(),
  }),
  /** Where reports may go after triage, in words (privacy statement: "waar gaan de gegevens heen"). */
  partners: z.array(z.string().min(1)).min(1),
  /** Where residents report accessibility problems (toegankelijkheidsverklaring). */
  accessibilityEmail: z.email(),
  /** The date of the accessibility statement (YYYY-MM-DD), shown in the statement. */
  accessibilityStatementDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  coordinatorEmail: z.email(),
  mailFrom: z.string().min(3),
  /** How soon a new report is screened, in words shown to residents ("binnen 1 werkdag"). */
  screeningNorm: z.string().min(1),
  /**
   * The CBS municipality code (`1969`, without `GM`): an address the register places elsewhere lies in
   * another municipality. Without it (and when the register cannot be asked) the postcodes decide.
   */
  municipalityCode: z.string().regex(/^[0-9]{4}$/).optional(),
  /** Four-digit postcode areas that belong to the municipality. */
  postcodePrefixes: z.array(z.string().regex(/^[1-9][0-9]{3}$/)).min(1),
  /** Working days to triage per urgency. */
  urgencyNormDays: z.object({
    direct: z.number().int().min(0),
    hoog: z.number().int().min(0),
    normaal: z.number().int().min(0),
    laag: z.number().int().min(0),
  }),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
  retention: z.object({
    draftHours: z.number().positive().max(24),
    cancelledDays: z.number().int().positive(),
    contactErasureDays: z.number().int().positive(),
    reportDeletionDays: z.number().int().positive(),
  }),
  theme: z.object({
    primary: hexColour,
    primaryHover: hexColour,
    text: hexColour,
    link: hexColour,
    focus: hexColour,
    error: hexColour,
    background: hexColour,
    muted: hexColour,
  }),
});
export type Municipality = z.infer<typeof municipalitySchema>;

/** Staff single sign-on (spec §6a): set when OIDC_ISSUER is. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claim holding the provider's role values. */
  rolesClaim: string;
  /** Provider role value → portal role code (kcc, boa, coordinator, admin). */
  roleMap: Record<string, string>;
  /** The claim with a BOA's service number, if the provider sends one. */
  serviceNumberClaim: string | undefined;
}

const STAFF_ROLE_CODES = ['kcc', 'boa', 'coordinator', 'admin'];
export const DEFAULT_OIDC_ROLE_MAP = 'meldpunt-kcc=kcc,meldpunt-boa=boa,meldpunt-coordinator=coordinator,meldpunt-admin=admin';

/** `value=role,value=role`; a role that is not one of the four is an error (the server does not start). */
export function parseRoleMap(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    const value = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at < 1 || !STAFF_ROLE_CODES.includes(role)) throw new Error(`OIDC_ROLE_MAP: "${pair}" is not value=kcc|boa|coordinator|admin`);
    map[value] = role;
  }
  return map;
}

function oidcConfig(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const issuer = env['OIDC_ISSUER'];
  if (!issuer) return undefined;
  return {
    issuer,
    clientId: env['OIDC_CLIENT_ID'] ?? '',
    clientSecret: env['OIDC_CLIENT_SECRET'] ?? '',
    rolesClaim: env['OIDC_ROLES_CLAIM'] || 'roles',
    roleMap: parseRoleMap(env['OIDC_ROLE_MAP'] || DEFAULT_OIDC_ROLE_MAP),
    serviceNumberClaim: env['OIDC_SERVICE_NUMBER_CLAIM'] || undefined,
  };
}

export interface AppConfig {
  databasePath: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  /** Refuse to send without STARTTLS (`SMTP_REQUIRE_TLS=1`). */
  smtpRequireTls: boolean;
  /** First retry delay of a failed mail; doubles per attempt (capped at an hour). */
  mailRetryBaseMs: number;
  /** How often the worker looks for due mail when nothing is scheduled sooner. */
  mailPollMs: number;
  mailDir: string;
  mailFrom: string;
  coordinatorEmail: string;
  hcaptcha: { siteKey: string; secret: string; verifyUrl: string; timeoutMs: number } | undefined;
  /** PDOK Locatieserver (`PDOK_LOCATIESERVER_URL`, `off` to not look addresses up). */
  addressLookup: { url: string; timeoutMs: number } | undefined;
  production: boolean;
  /** Staff single sign-on; undefined: off. */
  oidc: OidcConfig | undefined;
  /** Password accounts (`LOCAL_LOGIN=off`: single sign-on only, no password form, handler or reset). */
  localLogin: boolean;
  /** Reports one address may send per hour; step posts are allowed twenty times as many. */
  reportsPerHourPerIp: number;
  /**
   * Behind a reverse proxy (`TRUST_PROXY=1`): the proxies (`TRUSTED_PROXIES`, loopback by default) whose
   * X-Forwarded-For is believed; `false`: the socket's address only.
   */
  trustProxy: TrustedProxies | false;
  /** How long requests in progress may take to finish after SIGTERM/SIGINT. */
  shutdownTimeoutMs: number;
  /** /health answers 503 when the database's filesystem has less free space than this. */
  healthMinFreeBytes: number;
  /**
   * The data key file (spec §8): `DATA_KEY_FILE`, else the systemd credential `data-key`
   * (`$CREDENTIALS_DIRECTORY/data-key`), else `data-key` beside the database — `data/data-key` with the
   * default DATABASE_PATH — created on first start; never in production.
   */
  dataKey: { file: string; source: 'DATA_KEY_FILE' | 'systemd' | 'standaard' };
  /**
   * Who checkpoints the WAL: `app` (SQLite's automatic checkpoints, TRUNCATE at shutdown) or `litestream`
   * (`WAL_CHECKPOINTS=litestream`, set by `npm run start:replicated`): Litestream must copy every WAL frame
   * before it reaches the database file, so the portal leaves checkpoints to it.
   */
  walCheckpoints: 'app' | 'litestream';
  /** Where the daily snapshots go (`SNAPSHOT_DIR`); unset: the server takes none (`npm run db:snapshot` still can). */
  snapshotDir: string | undefined;
  /** How many snapshots are kept (`SNAPSHOT_KEEP`); older ones are deleted after each new one. */
  snapshotKeep: number;
  municipality: Municipality;
}

/** Where the data key comes from (see AppConfig.dataKey). */
export function dataKeyLocation(env: NodeJS.ProcessEnv): AppConfig['dataKey'] {
  if (env['DATA_KEY_FILE']) return { file: path.resolve(env['DATA_KEY_FILE']), source: 'DATA_KEY_FILE' };
  const credentials = env['CREDENTIALS_DIRECTORY'];
  if (credentials && existsSync(path.join(credentials, 'data-key'))) return { file: path.join(credentials, 'data-key'), source: 'systemd' };
  // Beside the database, so every tool given DATABASE_PATH alone (user:add, demo:data, a test's portal) finds its key.
  return { file: path.join(path.dirname(path.resolve(env['DATABASE_PATH'] || 'data/meldpunt.db')), 'data-key'), source: 'standaard' };
}

/** A positive number from the environment, or the default; a wrong value stops the start. */
function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

/** A whole number of at least 1 from the environment, or the default. */
function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = positive(env, name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, not "${env[name]}"`);
  return value;
}

function walCheckpoints(env: NodeJS.ProcessEnv): AppConfig['walCheckpoints'] {
  const raw = env['WAL_CHECKPOINTS'] || 'app';
  if (raw !== 'app' && raw !== 'litestream') throw new Error(`WAL_CHECKPOINTS must be "app" or "litestream", not "${raw}"`);
  return raw;
}

/** Keys hCaptcha publishes for testing; production must not run with them. */
const HCAPTCHA_TEST_SECRET = '0x0000000000000000000000000000000000000000';
const HCAPTCHA_TEST_SITEKEY = '10000000-ffff-ffff-ffff-000000000001';

function loadMunicipality(env: NodeJS.ProcessEnv): Municipality {
  const file = env['MUNICIPALITY_CONFIG'];
  let raw: unknown = demoMunicipality;
  if (file) {
    try {
      raw = JSON.parse(readFileSync(path.resolve(file), 'utf8'));
    } catch (error) {
      throw new Error(`Invalid municipality configuration in ${file}: cannot read it as JSON (${(error as Error).message})`);
    }
  }
  const parsed = municipalitySchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid municipality configuration${file ? ` in ${file}` : ''}: ${parsed.error.message}`);
  }
  return parsed.data;
}

/**
 * Without PUBLIC_URL: where this server listens (HOST, PORT), so that links in e-mail work on another
 * port too. A wildcard address (0.0.0.0, ::) is reached as localhost.
 */
export function defaultPublicUrl(env: NodeJS.ProcessEnv): string {
  const host = env['HOST'] && !['0.0.0.0', '::', 'true'].includes(env['HOST']) ? env['HOST'] : 'localhost';
  const port = env['PORT'] || '4321';
  return `http://${host.includes(':') ? `[${host}]` : host}${port === '80' ? '' : `:${port}`}`;
}

/** Reads the configuration from the environment; throws when production would run unsafely. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const municipality = loadMunicipality(env);
  const siteKey = env['HCAPTCHA_SITEKEY'];
  const secret = env['HCAPTCHA_SECRET'];
  const production = env['NODE_ENV'] === 'production';
  const config: AppConfig = {
    databasePath: env['DATABASE_PATH'] || 'data/meldpunt.db',
    publicUrl: (env['PUBLIC_URL'] || defaultPublicUrl(env)).replace(/\/+$/, ''),
    smtpUrl: env['SMTP_URL'] || undefined,
    smtpRequireTls: env['SMTP_REQUIRE_TLS'] === '1' || env['SMTP_REQUIRE_TLS'] === 'true',
    mailRetryBaseMs: positive(env, 'MAIL_RETRY_BASE_MS', 30_000),
    mailPollMs: positive(env, 'MAIL_POLL_MS', 15_000),
    mailDir: env['MAIL_DIR'] || 'data/mail',
    mailFrom: env['MAIL_FROM'] || municipality.mailFrom,
    coordinatorEmail: env['COORDINATOR_EMAIL'] || municipality.coordinatorEmail,
    hcaptcha:
      siteKey && secret
        ? {
            siteKey,
            secret,
            verifyUrl: env['HCAPTCHA_VERIFY_URL'] || 'https://api.hcaptcha.com/siteverify',
            timeoutMs: positive(env, 'HCAPTCHA_TIMEOUT_MS', 3000),
          }
        : undefined,
    addressLookup:
      env['PDOK_LOCATIESERVER_URL'] === 'off'
        ? undefined
        : {
            url: (env['PDOK_LOCATIESERVER_URL'] || 'https://api.pdok.nl/bzk/locatieserver/search/v3_1').replace(/\/+$/, ''),
            timeoutMs: positive(env, 'PDOK_TIMEOUT_MS', 3000),
          },
    production,
    oidc: oidcConfig(env),
    localLogin: env['LOCAL_LOGIN'] !== 'off',
    reportsPerHourPerIp: positive(env, 'REPORTS_PER_HOUR_PER_IP', 30),
    trustProxy:
      env['TRUST_PROXY'] === '1' || env['TRUST_PROXY'] === 'true'
        ? trustedProxies(env['TRUSTED_PROXIES'] ? env['TRUSTED_PROXIES'].split(',').map((e) => e.trim()).filter(Boolean) : LOOPBACK_PROXIES)
        : false,
    shutdownTimeoutMs: positive(env, 'SHUTDOWN_TIMEOUT_MS', 10_000),
    healthMinFreeBytes: positive(env, 'HEALTH_MIN_FREE_MB', 100) * 1024 * 1024,
    dataKey: dataKeyLocation(env),
    walCheckpoints: walCheckpoints(env),
    snapshotDir: env['SNAPSHOT_DIR'] || undefined,
    snapshotKeep: count(env, 'SNAPSHOT_KEEP', 14),
    municipality,
  };
  if (config.oidc && (!config.oidc.clientId || !config.oidc.clientSecret)) {
    throw new Error('OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are needed too');
  }
  if (!config.localLogin && !config.oidc) throw new Error('LOCAL_LOGIN=off needs single sign-on: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  if (production) {
    const problems: string[] = [];
    if (config.oidc && !config.oidc.issuer.startsWith('https://')) problems.push('OIDC_ISSUER must be https');
    if (config.oidc && config.oidc.clientSecret.length < 16) problems.push('OIDC_CLIENT_SECRET is too short (at least 16 characters)');
    if (!config.publicUrl.startsWith('https://')) problems.push('PUBLIC_URL must be https');
    if (secret === HCAPTCHA_TEST_SECRET || siteKey === HCAPTCHA_TEST_SITEKEY) problems.push('hCaptcha test keys');
    if (!env['MUNICIPALITY_CONFIG']) problems.push('MUNICIPALITY_CONFIG is not set (demo municipality)');
    else if ([municipality.coordinatorEmail, municipality.privacyEmail, config.mailFrom, config.coordinatorEmail].some((a) => /\.example>?$/i.test(a))) {
      problems.push('the municipality configuration still has the demo (.example) addresses');
    }
    if (env['TEST_CLOCK_FILE']) problems.push('TEST_CLOCK_FILE is for tests only');
    // The embedded default key lives beside the database, in every backup of the data folder: never in production.
    if (config.dataKey.source === 'standaard') problems.push('no data key: set DATA_KEY_FILE or the systemd credential data-key');
    else if (!existsSync(config.dataKey.file)) problems.push(`the data key file ${config.dataKey.file} does not exist (DATA_KEY_FILE)`);
    if (problems.length) throw new Error(`Refusing to start in production: ${problems.join('; ')}`);
  }
  return config;
}

let current: AppConfig | undefined;

/** The configuration of this process, read once. */
export function config(): AppConfig {
  current ??= loadConfig();
  return current;
}
