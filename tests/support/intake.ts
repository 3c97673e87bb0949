// A resident's report as the intake service takes it, for unit tests. Not a test file itself (no `.test.ts`).
import type { IntakeReport } from '#features/intake/intake.server.ts';

/** A resident's report about Dhr. X at 9351AB 12, with the reporter's name, e-mail and phone; `changes` on top. */
export function residentReport(changes: Partial<IntakeReport> = {}): IntakeReport {
  return {
    channel: 'inwoner',
    acuteDanger: false,
    personName: 'Dhr. X',
    locationKind: 'adres',
    postcode: '9351AB',
    houseNumber: '12',
    concerns: ['eenzaamheid'],
    involved: [],
    description: 'Een beschrijving van de zorgen.',
    anonymous: false,
    reporterName: 'Melder Naam',
    reporterEmail: 'melder@test.example',
    reporterPhone: '0612345678',
    captchaStatus: 'niet_van_toepassing',
    ...changes,
  };
}
