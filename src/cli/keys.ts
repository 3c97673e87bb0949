// `npm run keys:rotate`: a new data key, and everything sealed again under it (spec §8).
//
//   1. Adds a fresh key as the last line of the key file (DATA_KEY_FILE, or data/data-key outside
//      production). The old keys stay in the file: they still decrypt what is not yet re-encrypted, and
//      every backup made before today.
//   2. Waits a few seconds: a running portal rereads the key file and writes new values under the new key.
//   3. Seals every value again under the new key and recomputes the blind indexes, in batches of
//      KEYS_BATCH_SIZE rows (default 500), one transaction each, while the portal keeps running.
//
// Idempotent and resumable: after a crash, run it again. It adds no second key while the last rotation
// has not finished; it continues where the data is not yet under the newest key.
// With a systemd credential (read-only), add the new key to the credential yourself, restart the portal,
// then run this command: it finds the newest key already there and only re-encrypts.
import { readKeyFile, newKeyLine, resetKeyring, writeKeyFile, keyring } from '#platform/crypto/keyring.server.ts';
import { config } from '#platform/config.ts';
import { closeDatabase } from '#platform/db.ts';
import { completedPass } from '#features/encryption/encryption.repo.server.ts';
import { runPass } from '#features/encryption/encryption.server.ts';

const [command] = process.argv.slice(2);
if (command !== 'rotate') {
  console.error('Gebruik: npm run keys:rotate');
  process.exit(1);
}
const batchSize = Number(process.env['KEYS_BATCH_SIZE'] || 500);
if (!Number.isInteger(batchSize) || batchSize < 1) {
  console.error('KEYS_BATCH_SIZE moet een positief geheel getal zijn.');
  process.exit(1);
}

try {
  const { file, source } = config().dataKey;
  const before = keyring();
  const finished = completedPass()?.keyId === before.current.id;
  if (finished && source !== 'systemd') {
    const lines = readKeyFile(file).map((k) => k.toString('base64'));
    writeKeyFile(file, [...lines, newKeyLine()]);
    resetKeyring();
    console.log(`sleutels: nieuwe sleutel ${keyring().current.id} toegevoegd aan ${file}; de oude sleutels blijven erin staan.`);
    // A running portal looks at the key file every two seconds.
    await new Promise((r) => setTimeout(r, 3000));
  } else if (finished) {
    console.log(`sleutels: alles staat al onder sleutel ${before.current.id}. Zet eerst een nieuwe sleutel als laatste regel in de systemd-credential data-key en herstart het portaal.`);
    process.exit(0);
  } else {
    console.log(`sleutels: verder met versleutelen onder sleutel ${before.current.id}.`);
  }
  const changed = runPass({
    batchSize,
    onBatch: (p) => console.log(`sleutels: ${p.table}: ${p.seen} rijen bekeken, ${p.changed} opnieuw versleuteld`),
  });
  const total = Object.values(changed).reduce((a, b) => a + b, 0);
  console.log(`sleutels: klaar. ${total} waarden opnieuw versleuteld onder sleutel ${keyring().current.id}.`);
  console.log('sleutels: bewaar het nieuwe sleutelbestand op de plek waar ook de vorige sleutel bewaard wordt (buiten deze machine).');
} catch (error) {
  console.error(`sleutels: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  closeDatabase();
}
