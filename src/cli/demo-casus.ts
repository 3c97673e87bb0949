// The casussen of the demo data (issue 12): the four Westerkwartier cases with a realistic trajectory,
// and casussen for part of the generated reports, so the casus list and the monitor's people counts
// look like a year of real work. Called by demo-data.ts inside its transaction; writes through the
// casus repository (names sealed there).
import { randomInt } from 'node:crypto';
import { db } from '#platform/db.ts';
import { addCaseEvent, addReportToCase, insertAction, insertCase, markActionDone, updateCase } from '#features/casus/casus.repo.server.ts';
import { insertAgendaItem, insertMeeting, recordAgreements } from '#features/mdo/mdo.repo.server.ts';
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
  | { close: string }
  /** Discussed in an MDO that day: the question, the agreements and an action due `dueDays` later (done `doneDays` later, if done). */
  | { mdo: { question: string; agreements: string; action: { what: string; who: string; dueDays: number; doneDays?: number } } };

const PARTICIPANTS = 'GGZ Noord, Sociaal team, Zorg- en Veiligheidshuis, politie (wijkagent), woningcorporatie Wierden en Borgen';
const dateOf = (at: Date) => at.toISOString().slice(0, 10);

/** One MDO per date (YYYY-MM-DD), planned a week before by the demo coordinator. */
const meetingsByDate = new Map<string, number>();
function mdoOn(at: Date, by: number): number {
  const day = dateOf(at);
  let id = meetingsByDate.get(day);
  if (id === undefined) {
    id = insertMeeting({ heldOn: day, kind: 'mdo', participants: PARTICIPANTS }, by, new Date(at.getTime() - 7 * DAY));
    meetingsByDate.set(day, id);
  }
  return id;
}

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
    } else if ('mdo' in step) {
      const meeting = mdoOn(at, by);
      const item = insertAgendaItem(meeting, nummer, step.mdo.question, by, new Date(at.getTime() - 6 * DAY));
      recordAgreements(item, step.mdo.agreements, by, at);
      const a = step.mdo.action;
      const action = insertAction(nummer, { what: a.what, who: a.who, dueOn: dateOf(new Date(at.getTime() + a.dueDays * DAY)), meetingId: meeting }, by, at);
      if (a.doneDays !== undefined) markActionDone(action, nummer, by, new Date(at.getTime() + a.doneDays * DAY));
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
        [20, { mdo: {
          question: 'Twee meldingen over dreiging met de gasleidingen. Opschalen naar AVE 3? Wie neemt de procesregie?',
          agreements: 'Opschalen naar AVE 3. Het Zorg- en Veiligheidshuis neemt de procesregie; het sociaal team blijft casusregisseur. GGZ Noord legt via de huisarts contact. Netbeheerder wordt gevraagd de aansluiting te controleren.',
          action: { what: 'Huisbezoek samen met de wijkagent en verslag aan het MDO', who: 'Sociaal team Leek', dueDays: 14, doneDays: 12 },
        } }],
        [21, { ave: 'ave3', reason: 'Dreigt met geweld en met het doorzagen van de gasleidingen; zorg en veiligheid lopen door elkaar.' }],
        [21, { regie: { process_director: 'Procesregisseur Zorg en Veiligheid, Zorg- en Veiligheidshuis' } }],
        [148, { mdo: {
          question: 'Hulp van de GGZ loopt en er is geen nieuwe dreiging. Kan de casus terug naar AVE 2?',
          agreements: 'Afschalen naar AVE 2. Procesregie blijft nog drie maanden betrokken; daarna evalueren in het MDO.',
          action: { what: 'Evaluatie van de hulp door GGZ Noord en terugkoppeling aan de casusregisseur', who: 'GGZ Noord', dueDays: 90 },
        } }],
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
  meetingsByDate.clear();
  const named: number[] = [];
  for (const t of cases) {
    named.push(record(t, by));
    made++;
  }
  // The next MDO, a week from now: Dhr. P. (the evaluation) and Dhr. K. on its agenda.
  const next = mdoOn(new Date(now.getTime() + 7 * DAY), by);
  insertAgendaItem(next, named[0]!, 'Evaluatie na drie maanden AVE 2: kan de procesregie stoppen?', by, now);
  insertAgendaItem(next, named[1]!, 'AVE 4: stand van zaken na de inzet van OOV; is een Wvggz-aanvraag nodig?', by, now);
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
    if (age > 60 && randomInt(4) === 0) {
      // Discussed in the first MDO (every other week) at least a week after it came in.
      const FORTNIGHT = 14 * DAY;
      const mdoDay = (Math.ceil((created.getTime() + 7 * DAY) / FORTNIGHT) * FORTNIGHT - created.getTime()) / DAY;
      steps.push([mdoDay, { mdo: { question: 'Wie pakt de casus op, en is opschalen nodig?', agreements: 'Sociaal team doet een huisbezoek en koppelt terug in het volgende MDO.', action: { what: 'Huisbezoek en terugkoppeling', who: 'Sociaal team', dueDays: 21, ...(randomInt(3) > 0 ? { doneDays: 18 } : {}) } } }]);
    }
    if (age > 200 && randomInt(3) === 0) steps.push([180, { close: 'Hulp loopt, geen zorgen meer' }]);
    record({ name: `${NAMES[c.id % NAMES.length]} (${c.id})`, reports: [c.id], start: created, ave: c.ave, steps }, by);
    made++;
  }
  return made;
}
