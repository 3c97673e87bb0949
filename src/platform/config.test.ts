import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig, municipalitySchema } from './config.ts';
import { tempDir } from '#tests/support/unit-db.ts';

const DEMO_FILE = path.resolve('src/platform/westerkwartier.json');
const demo = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as Record<string, unknown>;
const dir = tempDir('config');

function writeJson(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A real municipality's configuration (not the demo): a copy with its own name and addresses. */
const ownMunicipality = writeJson('gemeente.json', {
  ...demo,
  municipalityName: 'Voorbeeldstad',
  municipalityPhone: '14 0123',
  privacyEmail: 'privacy@voorbeeldstad.nl',
  coordinatorEmail: 'meldpunt@voorbeeldstad.nl',
  mailFrom: 'Meldpunt Bezorgd Voorbeeldstad <noreply@voorbeeldstad.nl>',
  postcodePrefixes: ['1234'],
});

const dataKey = path.join(dir, 'data-key');
writeFileSync(dataKey, `${Buffer.alloc(32, 7).toString('base64')}\n`);

const production = {
  NODE_ENV: 'production',
  DATA_KEY_FILE: dataKey,
  PUBLIC_URL: 'https://meldpunt.voorbeeldstad.nl',
  MUNICIPALITY_CONFIG: ownMunicipality,
  HCAPTCHA_SITEKEY: '4a8b2c1d-0000-4000-8000-123456789abc',
  HCAPTCHA_SECRET: 'ES_0123456789abcdef0123456789abcdef',
};

describe('loadConfig: defaults', () => {
  test('without any variable: development defaults and the demo municipality', () => {
    const c = loadConfig({});
    assert.equal(c.databasePath, 'data/meldpunt.db');
    assert.equal(c.publicUrl, 'http://localhost:4321');
    assert.equal(c.smtpUrl, undefined);
    assert.equal(c.mailDir, 'data/mail');
    assert.equal(c.mailFrom, demo['mailFrom']);
    assert.equal(c.coordinatorEmail, demo['coordinatorEmail']);
    assert.equal(c.hcaptcha, undefined);
    assert.equal(c.production, false);
    assert.equal(c.trustProxy, false);
    assert.ok(c.reportsPerHourPerIp > 0);
    assert.equal(c.municipality.municipalityName, 'Westerkwartier');
    assert.equal(c.municipality.meldpuntName, 'Meldpunt Bezorgd');
    assert.equal(c.municipality.retention.draftHours, 24);
  });

  test('the demo municipality file is valid', () => {
    assert.ok(municipalitySchema.safeParse(demo).success);
  });

  test('variables override the defaults', () => {
    const c = loadConfig({
      DATABASE_PATH: '/var/lib/meldpunt/db.sqlite',
      PUBLIC_URL: 'https://meldpunt.example.nl/',
      SMTP_URL: 'smtp://mail.example.nl:587',
      MAIL_DIR: '/tmp/mail',
      MAIL_FROM: 'noreply@example.nl',
      COORDINATOR_EMAIL: 'oggz@example.nl',
      REPORTS_PER_HOUR_PER_IP: '5',
      TRUST_PROXY: '1',
    });
    assert.equal(c.databasePath, '/var/lib/meldpunt/db.sqlite');
    assert.equal(c.publicUrl, 'https://meldpunt.example.nl'); // trailing slash dropped
    assert.equal(c.smtpUrl, 'smtp://mail.example.nl:587');
    assert.equal(c.mailDir, '/tmp/mail');
    assert.equal(c.mailFrom, 'noreply@example.nl');
    assert.equal(c.coordinatorEmail, 'oggz@example.nl');
    assert.equal(c.reportsPerHourPerIp, 5);
    assert.ok(c.trustProxy);
    assert.deepEqual(c.trustProxy.entries, ['127.0.0.0/8', '::1']);
  });

  test('without PUBLIC_URL the default follows HOST and PORT (links in e-mail point where the server listens)', () => {
    assert.equal(loadConfig({ PORT: '8080' }).publicUrl, 'http://localhost:8080');
    assert.equal(loadConfig({ HOST: '0.0.0.0', PORT: '3000' }).publicUrl, 'http://localhost:3000');
    assert.equal(loadConfig({ HOST: 'meldpunt.intern', PORT: '80' }).publicUrl, 'http://meldpunt.intern');
    assert.equal(loadConfig({ HOST: '::1', PORT: '4400' }).publicUrl, 'http://[::1]:4400');
    assert.equal(loadConfig({ HOST: '::', PORT: '8080', PUBLIC_URL: 'https://meldpunt.example.nl' }).publicUrl, 'https://meldpunt.example.nl');
  });

  test('TRUSTED_PROXIES lists the proxies; loopback by default; a wrong entry stops the start', () => {
    const c = loadConfig({ TRUST_PROXY: '1', TRUSTED_PROXIES: '10.0.0.5, 192.0.2.0/24,2001:db8::/32' });
    assert.ok(c.trustProxy);
    assert.equal(c.trustProxy.has('10.0.0.5'), true);
    assert.equal(c.trustProxy.has('192.0.2.77'), true);
    assert.equal(c.trustProxy.has('2001:db8::9'), true);
    assert.equal(c.trustProxy.has('127.0.0.1'), false);
    assert.equal(loadConfig({ TRUSTED_PROXIES: '10.0.0.5' }).trustProxy, false);
    assert.throws(() => loadConfig({ TRUST_PROXY: '1', TRUSTED_PROXIES: 'proxy.example.nl' }), /TRUSTED_PROXIES: "proxy.example.nl" is not an IP address/);
    assert.throws(() => loadConfig({ TRUST_PROXY: '1', TRUSTED_PROXIES: '10.0.0.0/33' }), /TRUSTED_PROXIES/);
  });

  test('checkpoints and snapshots: the app checkpoints and no daily snapshot by default; wrong values stop the start', () => {
    const c = loadConfig({});
    assert.equal(c.walCheckpoints, 'app');
    assert.equal(c.snapshotDir, undefined);
    assert.equal(c.snapshotKeep, 14);
    const replicated = loadConfig({ WAL_CHECKPOINTS: 'litestream', SNAPSHOT_DIR: '/mnt/backup/snapshots', SNAPSHOT_KEEP: '30' });
    assert.equal(replicated.walCheckpoints, 'litestream');
    assert.equal(replicated.snapshotDir, '/mnt/backup/snapshots');
    assert.equal(replicated.snapshotKeep, 30);
    assert.throws(() => loadConfig({ WAL_CHECKPOINTS: 'never' }), /WAL_CHECKPOINTS must be "app" or "litestream"/);
    assert.throws(() => loadConfig({ SNAPSHOT_KEEP: '0' }), /SNAPSHOT_KEEP must be a positive number/);
    assert.throws(() => loadConfig({ SNAPSHOT_KEEP: '2.5' }), /SNAPSHOT_KEEP must be a whole number/);
  });

  test('hCaptcha is on only with both a site key and a secret', () => {
    assert.equal(loadConfig({ HCAPTCHA_SITEKEY: 'key' }).hcaptcha, undefined);
    assert.equal(loadConfig({ HCAPTCHA_SECRET: 'secret' }).hcaptcha, undefined);
    const on = loadConfig({ HCAPTCHA_SITEKEY: 'key', HCAPTCHA_SECRET: 'secret' }).hcaptcha;
    assert.ok(on);
    assert.equal(on.siteKey, 'key');
    assert.equal(on.secret, 'secret');
    assert.equal(on.verifyUrl, 'https://api.hcaptcha.com/siteverify');
    assert.ok(on.timeoutMs > 0 && on.timeoutMs <= 10_000);
  });

  test('outside production the test keys and plain http are fine', () => {
    const c = loadConfig({
      PUBLIC_URL: 'http://localhost:4321',
      HCAPTCHA_SITEKEY: '10000000-ffff-ffff-ffff-000000000001',
      HCAPTCHA_SECRET: '0x0000000000000000000000000000000000000000',
    });
    assert.equal(c.production, false);
    assert.ok(c.hcaptcha);
  });
});

describe('loadConfig: production start-up checks', () => {
  test('a safe production configuration starts', () => {
    const c = loadConfig(production);
    assert.equal(c.production, true);
    assert.equal(c.municipality.municipalityName, 'Voorbeeldstad');
    assert.equal(c.publicUrl, 'https://meldpunt.voorbeeldstad.nl');
  });

  test('production without hCaptcha also starts', () => {
    const { HCAPTCHA_SITEKEY: _k, HCAPTCHA_SECRET: _s, ...withoutCaptcha } = production;
    assert.equal(loadConfig(withoutCaptcha).hcaptcha, undefined);
  });

  test("refuses hCaptcha's test secret", () => {
    assert.throws(() => loadConfig({ ...production, HCAPTCHA_SECRET: '0x0000000000000000000000000000000000000000' }), /hCaptcha test keys/);
  });

  test("refuses hCaptcha's test site key", () => {
    assert.throws(() => loadConfig({ ...production, HCAPTCHA_SITEKEY: '10000000-ffff-ffff-ffff-000000000001' }), /hCaptcha test keys/);
  });

  test('single sign-on: an https issuer and a secret are needed; the role map is read and checked', () => {
    const sso = { ...production, OIDC_ISSUER: 'https://login.voorbeeldstad.nl/realms/gemeente', OIDC_CLIENT_ID: 'meldpunt', OIDC_CLIENT_SECRET: 'een-lang-geheim-van-de-gemeente' };
    const c = loadConfig(sso);
    assert.equal(c.oidc?.rolesClaim, 'roles');
    assert.equal(c.oidc?.roleMap['meldpunt-coordinator'], 'coordinator');
    assert.equal(c.localLogin, true);
    assert.equal(loadConfig({ ...sso, LOCAL_LOGIN: 'off' }).localLogin, false);
    assert.deepEqual(loadConfig({ ...sso, OIDC_ROLE_MAP: 'GG-Meldpunt=coordinator, Baliemedewerkers=kcc' }).oidc?.roleMap, { 'GG-Meldpunt': 'coordinator', Baliemedewerkers: 'kcc' });
    assert.throws(() => loadConfig({ ...sso, OIDC_ISSUER: 'http://login.voorbeeldstad.nl' }), /OIDC_ISSUER must be https/);
    assert.throws(() => loadConfig({ ...sso, OIDC_CLIENT_SECRET: 'kort' }), /OIDC_CLIENT_SECRET is too short/);
    assert.throws(() => loadConfig({ ...sso, OIDC_CLIENT_SECRET: '' }), /OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
    assert.throws(() => loadConfig({ ...sso, OIDC_ROLE_MAP: 'beheer=superuser' }), /OIDC_ROLE_MAP/);
    assert.throws(() => loadConfig({ ...production, LOCAL_LOGIN: 'off' }), /LOCAL_LOGIN=off needs single sign-on/);
    assert.equal(loadConfig(production).oidc, undefined);
  });

  test('refuses a PUBLIC_URL that is not https', () => {
    assert.throws(() => loadConfig({ ...production, PUBLIC_URL: 'http://meldpunt.voorbeeldstad.nl' }), /PUBLIC_URL must be https/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', MUNICIPALITY_CONFIG: ownMunicipality }), /PUBLIC_URL must be https/);
  });

  test('refuses the demo municipality when no configuration file is given', () => {
    const { MUNICIPALITY_CONFIG: _m, ...withoutFile } = production;
    assert.throws(() => loadConfig(withoutFile), /MUNICIPALITY_CONFIG/);
  });

  test('refuses the demo municipality when it is given as the configuration file', () => {
    assert.throws(() => loadConfig({ ...production, MUNICIPALITY_CONFIG: DEMO_FILE }), /Refusing to start in production: .*demo/i);
    const copy = writeJson('copy-of-demo.json', demo);
    assert.throws(() => loadConfig({ ...production, MUNICIPALITY_CONFIG: copy }), /Refusing to start in production: .*demo/i);
  });

  test('refuses a test clock', () => {
    assert.throws(() => loadConfig({ ...production, TEST_CLOCK_FILE: '/tmp/clock' }), /TEST_CLOCK_FILE/);
  });

  test('refuses to start without a data key, and with a key file that is not there', () => {
    const { DATA_KEY_FILE: _d, ...withoutKey } = production;
    assert.throws(() => loadConfig(withoutKey), /no data key: set DATA_KEY_FILE or the systemd credential data-key/);
    assert.throws(() => loadConfig({ ...production, DATA_KEY_FILE: path.join(dir, 'missing') }), /data key file .*missing does not exist/);
  });

  test('the data key from systemd: $CREDENTIALS_DIRECTORY/data-key', () => {
    const credentials = path.join(dir, 'credentials');
    mkdirSync(credentials, { recursive: true });
    writeFileSync(path.join(credentials, 'data-key'), readFileSync(dataKey));
    const { DATA_KEY_FILE: _d, ...withoutKey } = production;
    const c = loadConfig({ ...withoutKey, CREDENTIALS_DIRECTORY: credentials });
    assert.deepEqual(c.dataKey, { file: path.join(credentials, 'data-key'), source: 'systemd' });
    // The embedded default: beside the database (data/data-key with the default DATABASE_PATH).
    assert.deepEqual(loadConfig({}).dataKey, { file: path.resolve('data/data-key'), source: 'standaard' });
    assert.equal(loadConfig({ DATABASE_PATH: '/srv/mb/meldpunt.db' }).dataKey.file, '/srv/mb/data-key');
  });

  test('names every problem at once', () => {
    const { MUNICIPALITY_CONFIG: _m, ...withoutFile } = production;
    assert.throws(
      () => loadConfig({ ...withoutFile, PUBLIC_URL: 'http://x', HCAPTCHA_SECRET: '0x0000000000000000000000000000000000000000' }),
      (e: unknown) =>
        e instanceof Error && /PUBLIC_URL/.test(e.message) && /hCaptcha test keys/.test(e.message) && /MUNICIPALITY_CONFIG/.test(e.message),
    );
  });
});

describe('loadConfig: MUNICIPALITY_CONFIG', () => {
  test('a valid file is used', () => {
    assert.equal(loadConfig({ MUNICIPALITY_CONFIG: ownMunicipality }).municipality.municipalityName, 'Voorbeeldstad');
  });

  test('a file that breaks the schema is refused, naming the file and the field', () => {
    const file = writeJson('bad-email.json', { ...demo, coordinatorEmail: 'geen-e-mail' });
    assert.throws(
      () => loadConfig({ MUNICIPALITY_CONFIG: file }),
      (e: unknown) =>
        e instanceof Error &&
        e.message.startsWith('Invalid municipality configuration') &&
        e.message.includes(file) &&
        e.message.includes('coordinatorEmail'),
    );
  });

  test('missing fields, wrong types and bad values are refused', () => {
    const { municipalityName: _n, ...withoutName } = demo;
    const cases: [string, unknown, string][] = [
      ['no-name.json', withoutName, 'municipalityName'],
      ['bad-prefix.json', { ...demo, postcodePrefixes: ['0123'] }, 'postcodePrefixes'],
      ['no-prefix.json', { ...demo, postcodePrefixes: [] }, 'postcodePrefixes'],
      ['bad-norm.json', { ...demo, urgencyNormDays: { direct: 0, hoog: '1', normaal: 3, laag: 5 } }, 'hoog'],
      ['bad-holiday.json', { ...demo, holidays: ['25-12-2026'] }, 'holidays'],
      ['long-drafts.json', { ...demo, retention: { ...(demo['retention'] as object), draftHours: 48 } }, 'draftHours'],
      ['bad-colour.json', { ...demo, theme: { ...(demo['theme'] as object), primary: 'red' } }, 'primary'],
      ['array.json', [], 'object'],
    ];
    for (const [name, content, needle] of cases) {
      const file = writeJson(name, content);
      assert.throws(
        () => loadConfig({ MUNICIPALITY_CONFIG: file }),
        (e: unknown) => e instanceof Error && e.message.includes(file) && e.message.includes(needle),
        name,
      );
    }
  });

  test('a file that is not JSON is refused with an error naming the file', () => {
    const file = writeJson('broken.json', '{ "meldpuntName": "Meldpunt Bezorgd", ');
    assert.throws(
      () => loadConfig({ MUNICIPALITY_CONFIG: file }),
      (e: unknown) => e instanceof Error && e.message.includes(file),
    );
  });

  test('a file that does not exist is refused with an error naming the file', () => {
    const file = path.join(dir, 'does-not-exist.json');
    assert.throws(
      () => loadConfig({ MUNICIPALITY_CONFIG: file }),
      (e: unknown) => e instanceof Error && e.message.includes(file),
    );
  });
});
