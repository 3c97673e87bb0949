// The casussen of the demo data (issue 12): the four Westerkwartier cases with a realistic trajectory,
// and casussen for part of the generated reports, so the casus list and the monitor's people counts
// look like a year of real work. Called by demo-data.ts inside its transaction; writes through the
// casus repository (names sealed there).
import { randomInt } from 'node:crypto';
import { db } from '#platform/db.ts';
import { addCaseEvent, addReportToCase, insertCase, updateCase } from '#features/casus/casus.repo.server.ts';
import { aveDirection } from '#features/casus/casus.rules.ts';
import { findUserByEmail, insertUser, setDisabled } from '#features/auth/users.repo.server.ts';

const DAY = 86_400_000;
const DEMO_EMAIL = 'demo-coordinator@meldpunt.example';

/** The coordinator the demo trajectory is recorded by: an account that cannot log in (disabled). */
function demoCoordinator(at: Date): number {
  const existing = findUserByEmail(DEMO_EMAIL);
  if (existing) return existing.id;
  const id = insertUser({ email: DEMO_EMAIL, name: 'Demo-coördinator', role: 'coordinator', passwordHash: 'demo-geen-wachtwoord', totpSecret: 'demo' }, at);
  setDisabled(id, true, at);
  return id;
}

type Step =
  | { ave: string; reason: string }
  | { regie: { case_director?: string | null; process_director?: string | null; treatment_director?: string | null } }
  | { close: string };

interface Trajectory {
  name: string;
  reports: number[];
  start: Date;
  ave: string;
  /** Steps, each a number of days after the start. */
  steps: [days: number, step: Step][];
}

const LABEL: Record<string, string> = { case_director: 'Casusregisseur', process_director: 'Procesregisseur', treatment_director: 'Behandelregie' };

function record(t: Trajectory, by: number): number {
  const nummer = insertCase(t.name, t.ave, by, t.start);
  addCaseEvent(nummer, by, t.start, 'aangemaakt', null, t.ave);
  for (const id of t.reports) {
    const r = db().prepare('SELECT reference, created_at AS createdAt FROM reports WHERE id = ?').get(id) as { reference: string; createdAt: string };
    // Added when it came in (a later report), or when the casus began.
    const added = new Date(Math.max(t.start.getTime(), new Date(r.createdAt).getTime() + 3_600_000));
    addReportToCase(id, nummer, by, added);
    addCaseEvent(nummer, by, added, 'melding_toegevoegd', null, r.reference);
  }
  let ave = t.ave;
  const regie: Record<string, string | null> = { case_director: null, process_director: null, treatment_director: null };
  for (const [days, step] of t.steps) {
    const at = new Date(t.start.getTime() + days * DAY);
    if ('ave' in step) {
      const kind = aveDirection(ave, step.ave);
      if (!kind) continue;
      updateCase(nummer, { ave_phase: step.ave }, at);
      addCaseEvent(nummer, by, at, kind, ave, step.ave, step.reason);
      ave = step.ave;
    } else if ('regie' in step) {
      for (const [column, value] of Object.entries(step.regie)) {
        const before = regie[column] ?? null;
        addCaseEvent(nummer, by, at, 'regie', before ? `${LABEL[column]}: ${before}` : null, `${LABEL[column]}: ${value ?? '-'}`);
        regie[column] = value ?? null;
      }
      updateCase(nummer, step.regie, at);
    } else {
      updateCase(nummer, { status: 'afgesloten', closed_at: at.toISOString() }, at);
      addCaseEvent(nummer, by, at, 'afgesloten', 'open', 'afgesloten', step.close);
    }
  }
  return nummer;
}

/** Days ago, as a date. */
const ago = (days: number, now: Date) => new Date(now.getTime() - days * DAY);

/**
 * The four cases of the Westerkwartier document (`seed`: Dhr. P., Dhr. K., Mevr. B., Dhr. E. and
 * Dhr. P.'s second report, as demo-data.ts inserts them, each created `ageDays` ago) and a casus for about one in five generated
 * reports in AVE 2 or higher.
 */
export function demoCasussen(seed: { id: number; ageDays: number }[], now: Date): number {
  const by = demoCoordinator(ago(400, now));
  const [p, k, b, e, p2] = seed;
  const start = (s: { ageDays: number } | undefined) => ago((s?.ageDays ?? 1) - 1, now);
  const cases: Trajectory[] = [
    {
      name: 'Dhr. P., Kerkstraat Leek', reports: [p!.id, p2!.id], start: start(p), ave: 'ave2',
      steps: [
        [1, { regie: { case_director: 'Consulent Wmo, Sociaal team Leek' } }],
        [21, { ave: 'ave3', reason: 'Dreigt met geweld en met het doorzagen van de gasleidingen; zorg en veiligheid lopen door elkaar.' }],
        [21, { regie: { process_director: 'Procesregisseur Zorg en Veiligheid, Zorg- en Veiligheidshuis' } }],
        [150, { ave: 'ave2', reason: 'Hulp van de GGZ loopt, geen dreiging meer; procesregie blijft nog even betrokken.' }],
      ],
    },
    {
      name: 'Dhr. K., Zuidhorn (huishouden)', reports: [k!.id], start: start(k), ave: 'ave3',
      steps: [
        [0, { regie: { case_director: 'Jeugdconsulent, Sociaal team Zuidhorn', process_director: 'Zorg- en Veiligheidshuis' } }],
        [10, { ave: 'ave4', reason: 'Dreigt het huis en het bedrijf in brand te steken; openbare orde in het geding, OOV en de burgemeester betrokken.' }],
        [10, { regie: { process_director: 'OOV, gemeente Westerkwartier' } }],
      ],
    },
    {
      name: 'Mevr. B., Grootegast', reports: [b!.id], start: start(b), ave: 'ave3',
      steps: [
        [2, { regie: { case_director: 'Consulent Wmo, Sociaal team Grootegast', process_director: 'Procesregisseur Zorg en Veiligheid' } }],
        [90, { ave: 'ave2', reason: 'Het huis is schoongemaakt en het dak is gerepareerd; bewoonster accepteert thuisbegeleiding.' }],
        [90, { regie: { process_director: null, treatment_director: 'Thuisbegeleiding, Cosis' } }],
      ],
    },
    {
      name: 'Dhr. E., Marum', reports: [e!.id], start: start(e), ave: 'ave2',
      steps: [[3, { regie: { case_director: 'Consulent sociaal domein' } }]],
    },
  ];
  let made = 0;
  for (const t of cases) {
    record(t, by);
    made++;
  }
  // Part of the generated reports: one casus each, with a step or two.
  const candidates = db()
    .prepare("SELECT id, created_at AS createdAt, ave_phase AS ave FROM reports WHERE ave_phase IN ('ave2', 'ave3', 'ave4') AND id % 5 = 0 AND id NOT IN (SELECT report_id FROM case_reports) ORDER BY id")
    .all() as { id: number; createdAt: string; ave: string }[];
  const NAMES = ['Dhr. V.', 'Mevr. D.', 'Dhr. S.', 'Mevr. M.', 'Dhr. H.', 'Mevr. J.', 'Gezin T.', 'Dhr. A.'];
  for (const c of candidates) {
    const created = new Date(c.createdAt);
    const age = Math.floor((now.getTime() - created.getTime()) / DAY);
    const steps: Trajectory['steps'] = [[1, { regie: { case_director: 'Sociaal team' } }]];
    const up = ({ ave2: 'ave3', ave3: 'ave4' } as Record<string, string>)[c.ave];
    if (up && age > 40 && randomInt(3) === 0) steps.push([30, { ave: up, reason: 'Problemen op meer leefgebieden, zorg en veiligheid' }], [30, { regie: { process_director: 'Zorg- en Veiligheidshuis' } }]);
    if (age > 120 && randomInt(2) === 0) steps.push([100, { ave: 'ave2', reason: 'Situatie stabiel, hulp loopt' }]);
    if (age > 200 && randomInt(3) === 0) steps.push([180, { close: 'Hulp loopt, geen zorgen meer' }]);
    record({ name: `${NAMES[c.id % NAMES.length]} (${c.id})`, reports: [c.id], start: created, ave: c.ave, steps }, by);
    made++;
  }
  return made;
}
