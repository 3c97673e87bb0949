// A local stand-in for hCaptcha's siteverify endpoint (these machines cannot reach hCaptcha).
// The answer depends on the token the test puts in the form:
//   pass → success for host "localhost"; fail → success false; other-host → success for another host (accepted, marked);
//   slow → answers after 10 s (longer than the portal's timeout); anything else → success false.
// Usage: node tests/support/hcaptcha-stub.ts <port>
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 4399);
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return void res.end('ok');
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const form = new URLSearchParams(body);
    const token = form.get('response');
    const answer = (result: object) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(result));
    };
    if (!form.get('secret')) return answer({ success: false, 'error-codes': ['missing-input-secret'] });
    switch (token) {
      case 'pass':
        return answer({ success: true, hostname: 'localhost', challenge_ts: new Date().toISOString() });
      case 'other-host':
        return answer({ success: true, hostname: 'evil.example', challenge_ts: new Date().toISOString() });
      case 'slow':
        return void setTimeout(() => answer({ success: true, hostname: 'localhost' }), 10_000);
      default:
        return answer({ success: false, 'error-codes': ['invalid-input-response'] });
    }
  });
});
server.listen(port, '127.0.0.1');
