import { ROLES } from '#features/auth/roles.schema.ts';

/**
 * The audit log's domain sets: one home, audit.repo.server.ts types its rows by them and the admin's
 * log view filters by them (#features/admin/logboek.schema.ts) and shows their Dutch labels: codes
 * such as `coordinator` never reach a page (nor a report's access history). Safe for islands: no
 * server code.
 */
export const AUDIT_ROLES = {
  inwoner: 'Inwoner',
  ...ROLES,
  systeem: 'Systeem',
  onbekend: 'Onbekend',
} as const;

export const AUDIT_RESULTS = { gelukt: 'Gelukt', mislukt: 'Mislukt', geweigerd: 'Geweigerd' } as const;

/** What an audit row is about, in words (`object_type`). */
export const AUDIT_OBJECTS: Record<string, string> = {
  melding: 'Melding',
  account: 'Account',
  sessie: 'Sessie',
  export: 'Export',
  mail: 'E-mail',
  casus: 'Casus',
  overleg: 'Overleg',
};

/** Who a staff member acted for (`on_behalf_of`). */
export const AUDIT_ON_BEHALF_OF: Record<string, string> = { beller: 'Beller' };

/** Every action the portal writes, with what a person reads. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  melding_aangemaakt: 'Melding gedaan',
  melding_acuut_vastgelegd: 'Acute melding vastgelegd',
  melding_ingevoerd: 'Melding ingevoerd',
  melding_bekeken: 'Melding bekeken',
  melder_getoond: 'Gegevens melder bekeken',
  foto_bekeken: 'Foto bekeken',
  meldingen_gezocht: 'Meldingen doorzocht',
  triage_gewijzigd: 'Urgentie of AVE-fase gewijzigd',
  regie_gewijzigd: 'Regie gewijzigd',
  toegewezen: 'Toegewezen',
  wvggz_gestart: 'Wvggz-onderzoek gestart',
  wvggz_gestopt: 'Wvggz-markering weggehaald',
  notitie_toegevoegd: 'Notitie toegevoegd',
  gekoppeld: 'Gekoppeld aan een andere melding',
  samengevoegd_ontvangen: 'Andere melding hierin samengevoegd',
  status_gewijzigd: 'Status gewijzigd',
  wijziging_reveal: 'Gegevens melder bekijken',
  wijziging_urgency_ave: 'Urgentie en AVE-fase wijzigen',
  wijziging_regie: 'Regie wijzigen',
  wijziging_assign: 'Toewijzen',
  wijziging_wvggz: 'Wvggz wijzigen',
  wijziging_note: 'Notitie toevoegen',
  wijziging_link: 'Koppelen',
  wijziging_status: 'Status wijzigen',
  wijziging_onbekend: 'Onbekende wijziging',
  wijziging_case_create: 'Casus aanmaken',
  wijziging_case_add: 'Toevoegen aan casus',
  wijziging_feedback: 'Terugkoppeling wijzigen',
  terugkoppeling_uit: 'Terugkoppeling uitgezet',
  terugkoppeling_aan: 'Terugkoppeling weer aangezet',
  melding_opgezocht: 'Melding opgezocht voor beller',
  aanvulling_toegevoegd: 'Aanvulling toegevoegd',
  aan_casus_toegevoegd: 'Aan een casus toegevoegd',
  uit_casus_gehaald: 'Uit een casus gehaald',
  casus_aanmaken: 'Casus aanmaken',
  casus_toevoegen: 'Toevoegen aan casus',
  casus_aangemaakt: 'Casus aangemaakt',
  casus_bekeken: 'Casus bekeken',
  casussen_bekeken: 'Lijst van casussen bekeken',
  casus_melding_toegevoegd: 'Melding aan de casus toegevoegd',
  casus_melding_uitgehaald: 'Melding uit de casus gehaald',
  casus_naam_gewijzigd: 'Naam of omschrijving van de casus gewijzigd',
  casus_opgeschaald: 'Casus opgeschaald',
  casus_afgeschaald: 'Casus afgeschaald',
  casus_regie_gewijzigd: 'Regie van de casus gewijzigd',
  casus_wvggz_gewijzigd: 'Wvggz van de casus gewijzigd',
  casus_afgesloten: 'Casus afgesloten',
  casus_heropend: 'Casus heropend',
  casus_actie_toegevoegd: 'Actie toegevoegd aan de casus',
  casus_actie_afgerond: 'Actie afgerond',
  wijziging_casus_add_action: 'Actie toevoegen',
  wijziging_casus_action_done: 'Actie afronden',
  wijziging_casus_name: 'Naam of omschrijving wijzigen',
  wijziging_casus_ave: 'AVE-fase van de casus wijzigen',
  wijziging_casus_regie: 'Regie van de casus wijzigen',
  wijziging_casus_wvggz: 'Wvggz van de casus wijzigen',
  wijziging_casus_status: 'Casus afsluiten of heropenen',
  wijziging_casus_remove: 'Melding uit de casus halen',
  wijziging_casus_onbekend: 'Onbekende wijziging van een casus',
  overleggen_bekeken: 'Lijst van overleggen bekeken',
  overleg_plannen: 'Overleg plannen',
  overleg_gepland: 'Overleg gepland',
  overleg_bekeken: 'Overleg bekeken',
  casus_bekeken_in_overleg: 'Casus bekeken op de agenda van een overleg',
  casus_agenderen: 'Casus op de agenda zetten',
  overleg_casus_geagendeerd: 'Casus op de agenda gezet',
  casus_geagendeerd: 'Op de agenda van een overleg gezet',
  overleg_afspraken_vastgelegd: 'Afspraken vastgelegd',
  casus_afspraken_vastgelegd: 'Afspraken over de casus vastgelegd',
  agenda_afgedrukt: 'Agenda afgedrukt',
  verslag_afgedrukt: 'Verslag afgedrukt',
  casus_agenda_afgedrukt: 'Casus op een afgedrukte agenda',
  casus_verslag_afgedrukt: 'Casus in een afgedrukt verslag',
  wijziging_overleg_agenda: 'Casus op de agenda zetten',
  wijziging_overleg_agreements: 'Afspraken vastleggen',
  wijziging_overleg_action: 'Actie toevoegen in een overleg',
  wijziging_overleg_action_done: 'Actie afronden in een overleg',
  wijziging_overleg_onbekend: 'Onbekende wijziging van een overleg',
  monitor_geexporteerd: 'Cijfers van de monitor gedownload',
  bewaartermijn_toegepast: 'Bewaartermijn toegepast',
  verlopen_opgeruimd: 'Verlopen concepten, sessies en links opgeruimd',
  sleutels_vernieuwd: 'Gegevens versleuteld met de nieuwste sleutel',
  account_aangemaakt: 'Account aangemaakt',
  account_geblokkeerd: 'Account geblokkeerd',
  account_gedeblokkeerd: 'Account gedeblokkeerd',
  inloggen: 'Ingelogd',
  inloggen_wachtwoord: 'Inloggen: wachtwoord',
  inloggen_code: 'Inloggen: code',
  inloggen_sso: 'Inloggen met organisatie-account',
  wachtwoord_gewijzigd: 'Eigen wachtwoord gewijzigd',
  wachtwoord_herstel_gevraagd: 'Link voor nieuw wachtwoord aangevraagd',
  wachtwoord_herstel_gebruikt: 'Nieuw wachtwoord ingesteld met een link',
  uitnodiging_verstuurd: 'Uitnodiging verstuurd',
  uitnodiging_gebruikt: 'Uitnodiging gebruikt (wachtwoord en tweede factor ingesteld)',
  coordinatorrol_gemeld: 'Coördinatoren bericht over een nieuwe coördinator',
  dienstnummer_gewijzigd: 'Dienstnummer gewijzigd',
  tweede_factor_hersteld: 'Tweede factor opnieuw (uitnodiging om opnieuw in te stellen)',
  rol_gewijzigd: 'Rol gewijzigd',
  uitloggen: 'Uitgelogd',
  toegang: 'Toegang tot een pagina',
  logboek_bekeken: 'Logboek bekeken',
  mail_overzicht_bekeken: 'Mailoverzicht bekeken',
  mail_opnieuw: 'Mail opnieuw verstuurd',
};

/** The Dutch name of an action; an action without one reads as words ("iets_nieuws" → "Iets nieuws"). */
export function auditActionLabel(action: string): string {
  const known = AUDIT_ACTION_LABELS[action];
  if (known) return known;
  const words = action.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const auditRoleLabel = (role: string): string => AUDIT_ROLES[role as AuditRole] ?? role;
export const auditResultLabel = (result: string): string => AUDIT_RESULTS[result as AuditResult] ?? result;

export type AuditRole = keyof typeof AUDIT_ROLES;
export type AuditResult = keyof typeof AUDIT_RESULTS;
