// `npm run retention`: apply the retention periods now, in batches (the server also does this at start and every six hours).
import { applyRetention } from '#features/retention/retention.server.ts';

const r = await applyRetention();
console.log(`bewaartermijnen: contactgegevens gewist bij ${r.contactsErased} meldingen; ${r.cancelledDeleted} geannuleerde, ${r.reportsDeleted} oude meldingen en ${r.casesDeleted} afgesloten casussen verwijderd`);
