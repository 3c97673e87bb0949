/**
 * The standalone server loads the portal's code on the first request. A launcher calls this right
 * after starting it, so that the database is opened and migrated, the configuration checked and the
 * mail worker started at once (pending mail resumes after a restart without waiting for a visitor).
 * A portal that cannot start properly stops the process.
 */
export async function warmUp(): Promise<void> {
  const host = process.env['HOST'] && !['0.0.0.0', '::', 'true'].includes(process.env['HOST']) ? process.env['HOST'] : '127.0.0.1';
  const port = process.env['PORT'] || '4321';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/health`;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      console.error(`start: ${url} answered ${response.status}; see the error above. Stopping.`);
      process.exit(1);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  console.error(`start: the server did not answer at ${url}. Stopping.`);
  process.exit(1);
}
