/**
 * After starting the built server (`npm start`, tests/support/serve.ts): waits until it answers, and says
 * so when /health is not `ok` (README "Monitoring"). The server itself checks its configuration and opens
 * the database before it listens (src/platform/entry.ts): a portal that answers is running, and a
 * `degraded` or `unavailable` health is for monitoring to report, not a reason to stop it (a dead letter
 * must not keep the portal down). A server that never answers stops the process.
 */
export async function warmUp(): Promise<void> {
  const host = process.env['HOST'] && !['0.0.0.0', '::', 'true'].includes(process.env['HOST']) ? process.env['HOST'] : '127.0.0.1';
  const port = process.env['PORT'] || '4321';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/health`;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const response = await fetch(url);
      // `degraded` answers 200 (reports are still stored): the body says it.
      const body = await response.text();
      let status: unknown;
      try {
        status = (JSON.parse(body) as { status?: unknown }).status;
      } catch {
        status = undefined;
      }
      if (!response.ok || status !== 'ok') console.error(`start: ${url} answered ${response.status}: ${body}`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  console.error(`start: the server did not answer at ${url}. Stopping.`);
  process.exit(1);
}
