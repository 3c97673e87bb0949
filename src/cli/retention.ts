// `npm run retention`: apply the retention periods now (the server also does this daily).
import { applyRetention } from '#features/retention/retention.server.ts';

const r = applyRetention();
console.log(`bewaartermijnen: contactgegevens gewist bij ${r.contactsErased} meldingen; ${r.cancelledDeleted} geannuleerde, ${r.reportsDeleted} oude meldingen en ${r.casesDeleted} afgesloten casussen verwijderd`);
