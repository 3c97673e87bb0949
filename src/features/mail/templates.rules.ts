import { CHANNELS, URGENCY } from '#features/reports/options.schema.ts';
import type { Urgency } from '#features/reports/urgency.rules.ts';
import type { AppConfig } from '#platform/config.ts';
import type { MailParams } from './outbox.schema.ts';

/**
 * The e-mails the portal sends. None carries what was reported, nor a name or an address:
 * only the reference, the channel, the suggested urgency and what happens next (spec §7).
 */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function html(title: string, paragraphs: string[]): string {
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">` +
    paragraphs.map((p) => `<p>${p}</p>`).join('') +
    `</body></html>`;
}

/** To the reporter who gave an e-mail address and did not report anonymously. */
export function reporterConfirmation(reference: string, cfg: AppConfig): MailContent {
  const m = cfg.municipality;
  const phones = `${m.nationalPhone} (gratis)${m.municipalityPhone ? ` of ${m.municipalityPhone}` : ''}`;
  const lines = [
    'Beste melder,',
    `Bedankt voor uw melding bij het ${m.meldpuntName} van de gemeente ${m.municipalityName}. Wij hebben uw melding goed ontvangen.`,
    `Uw referentienummer is ${reference}. Noem dit nummer als u contact met ons opneemt.`,
    `Wat gebeurt er nu? Een medewerker leest uw melding ${m.screeningNorm}. Wij kijken wat de persoon nodig heeft en wie kan helpen. Misschien nemen wij contact met u op. Wij vertellen nooit aan de persoon dat de melding van u komt.`,
    `Is er direct gevaar? Bel dan 112. Heeft u een vraag of wilt u iets aanvullen? Bel ${phones}, ${m.openingHours}.`,
    `Met vriendelijke groet,\n${m.meldpuntName}, gemeente ${m.municipalityName}`,
    'Dit is een automatisch bericht. U kunt niet op deze e-mail antwoorden.',
  ];
  return {
    subject: `Bevestiging van uw melding ${reference}`,
    text: lines.join('\n\n') + '\n',
    html: html(`Bevestiging van uw melding ${reference}`, lines.map((l) => escapeHtml(l).replace(/\n/g, '<br>'))),
  };
}

/** To the coordinators' mailbox, for every new report from every channel. */
export function coordinatorNotification(
  report: { reference: string; channel: keyof typeof CHANNELS; suggestedUrgency: Urgency; acute?: boolean },
  cfg: AppConfig,
): MailContent {
  const link = `${cfg.publicUrl}/intern/triage/${report.reference}`;
  const channel = CHANNELS[report.channel];
  const urgency = URGENCY[report.suggestedUrgency];
  // An acute record (status acuut_doorgezet) holds no content: the caller was put through to 112.
  const first = report.acute
    ? `Bij het ${cfg.municipality.meldpuntName} is een melding met direct gevaar doorgezet naar 112. Alleen de tijd, de medewerker en het kanaal zijn vastgelegd.`
    : `Er is een nieuwe melding binnengekomen bij het ${cfg.municipality.meldpuntName}.`;
  const lines = [
    first,
    `Referentienummer: ${report.reference}\nKanaal: ${channel}\nVoorgestelde urgentie: ${urgency}`,
    `Bekijk de melding (inloggen nodig): ${link}`,
    'De inhoud van de melding staat bewust niet in deze e-mail.',
  ];
  return {
    subject: report.acute
      ? `Melding ${report.reference} doorgezet naar 112 (${channel})`
      : `Nieuwe melding ${report.reference} (${channel}, urgentie ${urgency})`,
    text: lines.join('\n\n') + '\n',
    html: html(`Nieuwe melding ${report.reference}`, [
      escapeHtml(lines[0]!),
      escapeHtml(lines[1]!).replace(/\n/g, '<br>'),
      `<a href="${escapeHtml(link)}">Bekijk melding ${escapeHtml(report.reference)}</a> (inloggen nodig)`,
      escapeHtml(lines[3]!),
    ]),
  };
}

/** The two moments a reporter or police contact hears of (spec §7). */
export type FeedbackMoment = 'in_behandeling' | 'afgehandeld';

/** The statuses a report counts as handled for feedback. */
const HANDLED: ReadonlySet<string> = new Set(['afgesloten', 'uitgezet', 'doorgestuurd']);

/**
 * Which feedback mail a status change sends: taken in hand (from `nieuw` to `in_behandeling`), or
 * handled (into `afgesloten`, `uitgezet` or `doorgestuurd` from a status that was not handled yet).
 * Anything else (waiting for information, reopening, cancelling, merging) sends none.
 */
export function feedbackMoment(from: string, to: string): FeedbackMoment | undefined {
  if (from === 'nieuw' && to === 'in_behandeling') return 'in_behandeling';
  if (HANDLED.has(to) && !HANDLED.has(from)) return 'afgehandeld';
  return undefined;
}

/**
 * Feedback without content (spec §7): fixed texts and the reference only; the police mail also carries
 * the police's registration number. Never the outcome, the person, a partner or any text of the report.
 */
export function feedbackMail(
  to: { kind: 'melder' } | { kind: 'politie'; registration: string },
  moment: FeedbackMoment,
  reference: string,
  cfg: AppConfig,
): MailContent {
  const m = cfg.municipality;
  const subject = moment === 'in_behandeling' ? `Uw melding ${reference} is in behandeling genomen` : `Uw melding ${reference} is afgehandeld`;
  const phones = `${m.nationalPhone} (gratis)${m.municipalityPhone ? ` of ${m.municipalityPhone}` : ''}`;
  const police = to.kind === 'politie';
  const lines = [
    police ? 'Beste collega van de politie,' : 'Beste melder,',
    moment === 'in_behandeling'
      ? `Het ${m.meldpuntName} van de gemeente ${m.municipalityName} heeft uw melding ${reference} in behandeling genomen.`
      : `Het ${m.meldpuntName} van de gemeente ${m.municipalityName} heeft uw melding ${reference} afgehandeld.`,
    ...(police ? [`Registratienummer politie: ${to.registration}`] : []),
    moment === 'in_behandeling'
      ? 'Wij kijken wat er nodig is en wie kan helpen. Wat wij doen, vertellen wij niet: dat is vertrouwelijk.'
      : 'Wat er met de melding is gedaan, vertellen wij niet: dat is vertrouwelijk.',
    police
      ? `Heeft u een vraag of nieuwe informatie? Bel ${phones}, ${m.openingHours}, en noem het referentienummer.`
      : `Weet u nog iets, of is er iets veranderd? Bel ${phones}, ${m.openingHours}, of vul uw melding aan op ${cfg.publicUrl}/melden/aanvullen. Is er direct gevaar? Bel 112.`,
    `Met vriendelijke groet,\n${m.meldpuntName}, gemeente ${m.municipalityName}`,
    'Dit is een automatisch bericht. U kunt niet op deze e-mail antwoorden.',
  ];
  return {
    subject,
    text: lines.join('\n\n') + '\n',
    html: html(subject, lines.map((l) => escapeHtml(l).replace(/\n/g, '<br>'))),
  };
}

/** A mail that carries only a one-time link (spec §7: a reset mail carries only the link). */
function linkMail(subject: string, intro: string, link: string, validity: string, cfg: AppConfig): MailContent {
  const m = cfg.municipality;
  const lines = [
    intro,
    link,
    `De link werkt één keer en ${validity}. Heeft u hier niet om gevraagd? Dan hoeft u niets te doen.`,
    `${m.meldpuntName}, gemeente ${m.municipalityName}`,
  ];
  return {
    subject,
    text: lines.join('\n\n') + '\n',
    html: html(subject, [escapeHtml(lines[0]!), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`, escapeHtml(lines[2]!), escapeHtml(lines[3]!)]),
  };
}

/** The one-time link to choose a new password (valid 1 hour). */
export function passwordResetMail(link: string, cfg: AppConfig): MailContent {
  return linkMail(
    `Nieuw wachtwoord voor het ${cfg.municipality.meldpuntName}`,
    'Met deze link kiest u een nieuw wachtwoord voor uw account:',
    link,
    'is 1 uur geldig',
    cfg,
  );
}

/** The invitation of a new account (valid 72 hours): choose a password, set up the authenticator app. */
export function invitationMail(link: string, cfg: AppConfig): MailContent {
  return linkMail(
    `Uw account voor het ${cfg.municipality.meldpuntName}`,
    'Er is een account voor u gemaakt. Met deze link kiest u uw wachtwoord en zet u de authenticator-app op uw telefoon klaar:',
    link,
    'is 72 uur geldig',
    cfg,
  );
}

/** To the coordinators' mailbox: an account got the coordinator role. No name, no address: who did it is in the audit log. */
export function coordinatorRoleNotice(cfg: AppConfig): MailContent {
  const lines = [
    `Een account van het ${cfg.municipality.meldpuntName} heeft de rol OGGz-coördinator gekregen. Met die rol ziet iemand alle meldingen en melders.`,
    'Weet u niet waarom? Neem dan contact op met de functioneel beheerder. Wie het account is en wie de rol gaf, staat in het logboek.',
  ];
  const subject = 'Een account heeft de rol OGGz-coördinator gekregen';
  return { subject, text: lines.join('\n\n') + '\n', html: html(subject, lines.map(escapeHtml)) };
}

/**
 * A queued mail's subject and bodies, rendered by the mail worker just before sending from what the outbox
 * row keeps (its kind and parameters) and the configuration: the same text as when it was rendered at enqueue.
 */
export function renderMail(mail: MailParams, cfg: AppConfig): MailContent {
  switch (mail.kind) {
    case 'reporter_confirmation':
      return reporterConfirmation(mail.reference, cfg);
    case 'coordinator_notification':
      return coordinatorNotification({ reference: mail.reference, channel: mail.channel, suggestedUrgency: mail.urgency, acute: mail.acute ?? false }, cfg);
    case 'reporter_feedback':
      return feedbackMail({ kind: 'melder' }, mail.moment, mail.reference, cfg);
    case 'police_feedback':
      return feedbackMail({ kind: 'politie', registration: mail.registration }, mail.moment, mail.reference, cfg);
    case 'password_reset':
      return passwordResetMail(mail.link, cfg);
    case 'invitation':
      return invitationMail(mail.link, cfg);
    case 'role_notice':
      return coordinatorRoleNotice(cfg);
  }
}
