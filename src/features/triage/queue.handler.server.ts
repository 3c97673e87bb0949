import { AVE_PHASE, CHANNELS, CONCERNS, STATUS, URGENCY } from '#features/reports/options.schema.ts';
import type { Urgency } from '#features/reports/urgency.rules.ts';
import type { Channel } from '#features/reports/reports.repo.server.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { staffActor } from '#features/auth/login.server.ts';
import { now } from '#platform/clock.ts';
import { FORM_LIMIT_BYTES, readForm, render, type FormOutcome } from '#platform/http.ts';
import { ADDRESS_CHECKS } from '#features/address/address.schema.ts';
import { COUNT_CAP, UNKNOWN_AREA, activeCoordinators, isOpenScope, queueAreas, queueOrder, queuePage, type QueueFilter, type QueueOrder } from './triage.queries.server.ts';
import { OUTCOMES, isOverdue, wvggzDeadline, type Outcome, type Status } from './triage.rules.ts';
import { ALL_STATUSES, QUEUE_ORDERS } from './queue.schema.ts';
import { recordQueueSearch } from './triage.server.ts';
import { overdueActions } from '#features/casus/casus.queries.server.ts';
import { myOpenActions } from '#features/mdo/mdo.queries.server.ts';

/** The coordinator's queue, /intern/triage: filters from the URL, the search from a POST body (never in a URL). */

export const PAGE_SIZE = 50;

const pick = <T extends string>(options: Readonly<Record<string, string>>, value: string | null): T | undefined =>
  value && Object.hasOwn(options, value) ? (value as T) : undefined;

/** A row of the queue as shown: labels and formatted dates. */
export interface QueueRowView {
  reference: string;
  receivedAt: string;
  channel: string;
  urgency: string;
  status: string;
  avePhase: string;
  /** The village from the address lookup, else "Onbekend". */
  area: string;
  /** The casus's number, if the report is in one. */
  caseNumber: number | undefined;
  dueOn: string;
  overdue: boolean;
  /** Signs beside the deadline: "Wvggz uiterlijk 12 dec.". */
  markers: string[];
}

export interface QueueView {
  filter: QueueFilter;
  /** The filters as they stand in the URL, for the form and the paging links. */
  query: Record<string, string>;
  rows: QueueRowView[];
  total: number;
  /** More matches than were counted (the total is a lower bound). */
  more: boolean;
  page: number;
  pages: number;
  search: string;
  /** Where the search form posts: the queue with the filters, first page. */
  action: string;
  /** The pages before and after this one, with the same filters. */
  previousHref: string;
  nextHref: string;
  /** The open work is shown (no status chosen, no search). */
  openWork: boolean;
  /** The search looked in every status (no status chosen). */
  searchAll: boolean;
  /** Options of the area and colleague filters. */
  areas: Record<string, string>;
  coordinators: Record<string, string>;
  /** The order shown (the `volgorde` select). */
  order: QueueOrder;
  /** `Acties te laat`: open casus actions past their date (the casus and the date, no names or texts). */
  overdueActions: { href: string; text: string }[];
  /** `Mijn acties`: the open actions this coordinator recorded (on a casus or in an overleg), by date; no texts. */
  myActions: { href: string; text: string; overdue: boolean }[];
}

export function queueHref(query: Record<string, string>, page: number): string {
  const params = new URLSearchParams(query);
  if (page > 1) params.set('pagina', String(page));
  const s = params.toString();
  return s ? `/intern/triage?${s}` : '/intern/triage';
}

const received = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', day: 'numeric', month: 'short' });

/** The page context the handler needs from Astro. */
export interface QueueContext {
  url: URL;
  request: Request;
  locals: App.Locals;
}

export async function handleQueue(ctx: QueueContext): Promise<FormOutcome<QueueView>> {
  const staff = ctx.locals.staff!;
  const at = now();
  const p = ctx.url.searchParams;
  let search = '';
  let page = Math.max(1, Number.parseInt(p.get('pagina') ?? '1', 10) || 1);
  if (ctx.request.method === 'POST') {
    const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
    if (posted.ok) {
      search = String(posted.form.get('zoek') ?? '').trim().slice(0, 100);
      page = Math.max(1, Number.parseInt(String(posted.form.get('pagina') ?? '1'), 10) || 1);
    }
    recordQueueSearch(staffActor(staff, ctx.locals.clientIp), at);
  }
  const status = p.get('status') === ALL_STATUSES ? ALL_STATUSES : pick<Status>(STATUS, p.get('status'));
  const coordinators = activeCoordinators();
  const colleague = Number.parseInt(p.get('toegewezen') ?? '', 10);
  const areas = queueAreas();
  const area = p.get('gebied') ?? '';
  const filter: QueueFilter = {
    status,
    channel: pick<Channel>(CHANNELS, p.get('kanaal')),
    urgency: pick<Urgency>(URGENCY, p.get('urgentie')),
    avePhase: pick(AVE_PHASE, p.get('ave')),
    concern: pick(CONCERNS, p.get('zorg')),
    outcome: pick<Outcome>(OUTCOMES, p.get('uitkomst')),
    area: area === UNKNOWN_AREA || areas.includes(area) ? area : undefined,
    overdue: p.get('te-laat') === '1',
    assignedTo: p.get('mij') === '1' ? staff.user.id : coordinators.some((c) => c.id === colleague) ? colleague : undefined,
    order: pick<QueueOrder>(QUEUE_ORDERS, p.get('volgorde')),
    search: search || undefined,
  };
  const query: Record<string, string> = {};
  for (const key of ['status', 'kanaal', 'urgentie', 'ave', 'zorg', 'uitkomst', 'gebied', 'toegewezen', 'te-laat', 'mij', 'volgorde']) {
    const v = p.get(key);
    if (v) query[key] = v;
  }
  const today = amsterdamDate(at);
  const first = queuePage(filter, today, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const more = first.total > COUNT_CAP;
  const total = Math.min(first.total, COUNT_CAP);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const result = page > pages ? queuePage(filter, today, PAGE_SIZE, (pages - 1) * PAGE_SIZE) : first;
  const rows = result.rows.map((r) => ({
    reference: r.reference,
    receivedAt: received.format(new Date(r.createdAt)),
    channel: CHANNELS[r.channel],
    urgency: URGENCY[r.urgency],
    status: STATUS[r.status],
    avePhase: AVE_PHASE[r.avePhase as keyof typeof AVE_PHASE] ?? r.avePhase,
    area: r.woonplaats ?? 'Onbekend',
    caseNumber: r.caseNumber ?? undefined,
    dueOn: day.format(new Date(`${r.dueOn}T00:00:00Z`)),
    overdue: isOverdue(r, today),
    markers: [
      ...(r.newAddition ? ['Nieuwe aanvulling'] : []),
      ...(r.wvggzStartedOn ? [`Wvggz uiterlijk ${day.format(new Date(`${wvggzDeadline(r.wvggzStartedOn)}T00:00:00Z`))}`] : []),
      ...(r.addressCheck === 'niet_gecontroleerd' ? [ADDRESS_CHECKS.niet_gecontroleerd] : []),
      ...(r.otherMunicipality ? ['Andere gemeente'] : []),
    ],
  }));
  const shown = Math.min(page, pages);
  return render({
    filter,
    query,
    rows,
    total,
    more,
    page: shown,
    pages,
    search,
    action: queueHref(query, 1),
    previousHref: queueHref(query, shown - 1),
    nextHref: queueHref(query, shown + 1),
    openWork: isOpenScope(filter) && filter.status === undefined,
    searchAll: search !== '' && filter.status === undefined,
    areas: { ...Object.fromEntries(areas.map((a) => [a, a])), [UNKNOWN_AREA]: 'Onbekend (adres niet opgezocht)' },
    coordinators: Object.fromEntries(coordinators.map((c) => [String(c.id), c.name])),
    order: queueOrder(filter),
    myActions: myOpenActions(staff.user.id).map((a) => ({
      href: `/intern/casussen/${a.nummer}#acties`,
      text: `Casus ${a.nummer}: actie uiterlijk ${day.format(new Date(`${a.dueOn}T00:00:00Z`))}${a.meetingId ? ` (overleg ${a.meetingId})` : ''}`,
      overdue: a.dueOn < today,
    })),
    overdueActions: overdueActions(today).map((a) => ({ href: `/intern/casussen/${a.nummer}#acties`, text: `Casus ${a.nummer}: actie uiterlijk ${day.format(new Date(`${a.dueOn}T00:00:00Z`))}` })),
  });
}
