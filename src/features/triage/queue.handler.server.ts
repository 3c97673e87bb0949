import { AVE_PHASE, CHANNELS, CONCERNS, STATUS, URGENCY } from '#features/reports/options.schema.ts';
import type { Status } from './triage.rules.ts';
import type { Urgency } from '#features/reports/urgency.rules.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { audit } from '#features/audit/audit.repo.server.ts';
import type { StaffSession } from '#features/auth/login.server.ts';
import { now } from '#platform/clock.ts';
import { FORM_LIMIT_BYTES, readForm } from '#platform/http.ts';
import type { Channel } from '#features/reports/reports.repo.server.ts';
import { COUNT_CAP, queuePage, type QueueFilter, type QueueRow } from './triage.queries.server.ts';

/** The coordinator's queue: filters from the URL, the search from a POST body (never in a URL). */

export const PAGE_SIZE = 50;

const pick = <T extends string>(options: Readonly<Record<string, string>>, value: string | null): T | undefined =>
  value && Object.hasOwn(options, value) ? (value as T) : undefined;

export interface QueueView {
  filter: QueueFilter;
  /** The filters as they stand in the URL, for the form and the paging links. */
  query: Record<string, string>;
  rows: QueueRow[];
  total: number;
  /** More matches than were counted (the total is a lower bound). */
  more: boolean;
  page: number;
  pages: number;
  today: string;
  search: string;
}

export async function queueView(url: URL, request: Request, staff: StaffSession, ip: string | undefined): Promise<QueueView> {
  const p = url.searchParams;
  let search = '';
  let page = Math.max(1, Number.parseInt(p.get('pagina') ?? '1', 10) || 1);
  if (request.method === 'POST') {
    const posted = await readForm(request, FORM_LIMIT_BYTES);
    if (posted.ok) {
      search = String(posted.form.get('zoek') ?? '').trim().slice(0, 100);
      page = Math.max(1, Number.parseInt(String(posted.form.get('pagina') ?? '1'), 10) || 1);
    }
    // The search term itself is never logged.
    audit({ actorId: staff.user.id, actorRole: staff.user.role, action: 'meldingen_gezocht', result: 'gelukt', clientIp: ip });
  }
  const filter: QueueFilter = {
    status: pick<Status>(STATUS, p.get('status')),
    channel: pick<Channel>(CHANNELS, p.get('kanaal')),
    urgency: pick<Urgency>(URGENCY, p.get('urgentie')),
    avePhase: pick(AVE_PHASE, p.get('ave')),
    concern: pick(CONCERNS, p.get('zorg')),
    overdue: p.get('te-laat') === '1',
    assignedTo: p.get('mij') === '1' ? staff.user.id : undefined,
    oldestFirst: p.get('volgorde') === 'oud',
    search: search || undefined,
  };
  const query: Record<string, string> = {};
  for (const key of ['status', 'kanaal', 'urgentie', 'ave', 'zorg', 'te-laat', 'mij', 'volgorde']) {
    const v = p.get(key);
    if (v) query[key] = v;
  }
  const today = amsterdamDate(now());
  const first = queuePage(filter, today, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const more = first.total > COUNT_CAP;
  const total = Math.min(first.total, COUNT_CAP);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const result = page > pages ? queuePage(filter, today, PAGE_SIZE, (pages - 1) * PAGE_SIZE) : first;
  return { filter, query, rows: result.rows, total, more, page: Math.min(page, pages), pages, today, search };
}

export function queueHref(query: Record<string, string>, page: number): string {
  const params = new URLSearchParams(query);
  if (page > 1) params.set('pagina', String(page));
  const s = params.toString();
  return s ? `/intern/triage?${s}` : '/intern/triage';
}
