// Staff accounts without a browser:
//   npm run user:add -- --email <e-mail> --name "<name>" --role <kcc|boa|coordinator|admin> [--service-number <nr>]
//     reads the password from standard input; prints the TOTP secret once as an otpauth:// URI.
//   npm run user:disable -- --email <e-mail>      (and user:enable)
//   npm run user:reset-2fa -- --email <e-mail>    prints a new otpauth:// URI once
//   npm run user:reset-password -- --email <e-mail>   prints a one-time link (1 hour) to choose a new password; also mailed
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { passwordAccountSchema as accountSchema } from '#features/auth/accounts.schema.ts';
import { createAccount, disableAccount, enableAccount, resetSecondFactor } from '#features/auth/accounts.server.ts';
import { operatorResetLink } from '#features/auth/credentials.server.ts';
import { findUserByEmail } from '#features/auth/users.repo.server.ts';
import { parseStep } from '#lib/forms.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, 'service-number': { type: 'string' } },
  strict: true,
});
/** The system changes the account, now (the server's clock), under the portal's name in the authenticator app. */
const change = () => ({ actor: { role: 'systeem' as const }, at: now(), issuer: config().municipality.meldpuntName });

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Wachtwoord (minstens 12 tekens): ');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

if (!values.email) fail('Geef --email <e-mailadres>.');
if (command === 'add') {
  const password = await readPassword();
  const parsed = parseStep(accountSchema, { email: values.email, name: values.name ?? '', role: values.role ?? '', serviceNumber: values['service-number'] ?? '', password });
  const result = parsed.ok ? await createAccount(parsed.data, change()) : parsed;
  if (!result.ok) fail(Object.entries(result.errors).map(([f, m]) => `${f}: ${m}`).join('\n'));
  console.log(`Account ${result.id} aangemaakt. Zet deze sleutel in de authenticator-app (wordt maar één keer getoond):`);
  console.log(result.otpauthUri);
} else {
  const user = findUserByEmail(values.email) ?? fail(`Geen account met e-mailadres ${values.email}.`);
  if (command === 'disable') {
    disableAccount(user.id, change());
    console.log(`Account ${user.email} is geblokkeerd; de sessies zijn beëindigd.`);
  } else if (command === 'enable') {
    enableAccount(user.id, change());
    console.log(`Account ${user.email} is weer actief.`);
  } else if (command === 'reset-2fa') {
    console.log('Nieuwe sleutel voor de authenticator-app (wordt maar één keer getoond):');
    console.log(resetSecondFactor(user.id, change()));
  } else if (command === 'reset-password') {
    if (!config().localLogin) fail('LOCAL_LOGIN=off: er zijn geen wachtwoorden; medewerkers loggen in met hun organisatie-account.');
    const link = operatorResetLink(user.id, now()) ?? fail(`Account ${user.email} logt in met het organisatie-account en heeft geen wachtwoord.`);
    console.log('Link om een nieuw wachtwoord te kiezen (1 uur geldig, werkt één keer; ook per e-mail verstuurd). De sessies van het account zijn beëindigd:');
    console.log(link);
  } else {
    fail('Gebruik: user.ts add|disable|enable|reset-2fa|reset-password --email <e-mailadres> …');
  }
}
