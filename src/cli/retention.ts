// `npm run retention`: apply the retention periods now, in batches (the server also does this at start and every six hours).
import { applyRetention } from '#features/retention/retention.server.ts';
import { startCheckpointer, stopCheckpointer } from '#platform/checkpointer.ts';

// The WAL is copied into the database file by a thread of its own while the batches run, as in the server.
startCheckpointer();
const r = await applyRetention();
// No checkpoint of its own at the end: the server (or Litestream) copies the rest of the WAL.
await stopCheckpointer();
console.log(`bewaartermijnen: contactgegevens gewist bij ${r.contactsErased} meldingen en van ${r.callersErased} bellers; ${r.cancelledDeleted} geannuleerde, ${r.reportsDeleted} oude meldingen en ${r.casesDeleted} afgesloten casussen verwijderd, in ${r.batches.toLocaleString('nl-NL')} stappen (de langste ${Math.round(r.longestBatchMs)} ms)`);
