// `npm run mail:flush`: send every due mail in the outbox now, from the command line (same code as
// the server's worker), and print the outbox counts. Safe while the server runs.
import { flushOutbox } from '../lib/server/mail/worker.ts';
import { outboxCounts } from '../lib/server/mail/outbox-repo.ts';

const sent = await flushOutbox();
const counts = outboxCounts();
console.log(`mail: ${sent} sent now; outbox: ${counts.pending} pending, ${counts.sent} sent, ${counts.dead} dead`);
