// TRUSTED_PROXIES: with TRUST_PROXY=1 and the port reachable directly, a fresh X-Forwarded-For per
// request must not make a fresh client. Here loopback is not a trusted proxy, so the test (on
// loopback) is the port's direct caller: its spoofed addresses are ignored and the login throttle
// holds. With the default list (loopback) the same header is believed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { addUser } from '../support/users.ts';
import { freePort, startPortal, type Portal } from '../support/processes.ts';

async function failedLogins(portal: Portal, email: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let n = 0; n < count; n++) {
    const response = await fetch(`${portal.base}/intern/inloggen`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: portal.base, 'X-Forwarded-For': `198.51.100.${n + 1}` },
      body: new URLSearchParams({ email, password: `verkeerd wachtwoord ${n}` }),
    });
    statuses.push(response.status);
  }
  return statuses;
}

test('spoofed X-Forwarded-For from a peer that is not a trusted proxy: ignored, the throttle holds', async () => {
  const portal = await startPortal('proxies-untrusted', await freePort(), { TRUST_PROXY: '1', TRUSTED_PROXIES: '192.0.2.10' });
  try {
    const account = addUser(path.resolve('data/test/proxies-untrusted/meldpunt.db'), 'coordinator');
    const statuses = await failedLogins(portal, account.email, 6);
    // Three free failures, then the one (account, address) pair waits: every address was the socket's.
    assert.deepEqual(statuses, [400, 400, 400, 429, 429, 429]);
  } finally {
    await portal.stop();
  }
});

test('from a trusted proxy (loopback, the default) each forwarded address is its own client', async () => {
  const portal = await startPortal('proxies-trusted', await freePort(), { TRUST_PROXY: '1' });
  try {
    const account = addUser(path.resolve('data/test/proxies-trusted/meldpunt.db'), 'coordinator');
    assert.deepEqual(await failedLogins(portal, account.email, 6), [400, 400, 400, 400, 400, 400]);
  } finally {
    await portal.stop();
  }
});
