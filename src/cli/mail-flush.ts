// `npm run mail:flush`: send every due mail in the outbox now, from the command line (same code as
// the server's worker), and print the outbox counts. Safe while the server runs.
import { flushOutbox, mailWorker } from '#features/mail/worker.server.ts';
import { outboxCounts } from '#features/mail/outbox.repo.server.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';

const sent = await flushOutbox(mailWorker(config(), now));
const counts = outboxCounts();
console.log(`mail: ${sent} sent now; outbox: ${counts.pending} pending, ${counts.sent} sent, ${counts.dead} dead`);
