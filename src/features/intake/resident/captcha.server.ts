import type { AppConfig } from '#platform/config.ts';

/**
 * hCaptcha's server check (one POST to siteverify), with a timeout and a configurable URL so that
 * tests can point it at a local stub. A report is never lost to a captcha: when the check cannot be
 * made, the report goes through marked `niet_gecontroleerd`.
 */
export type CaptchaOutcome = 'geslaagd' | 'mislukt' | 'niet_gecontroleerd' | 'niet_van_toepassing';

/** Everything the check needs; the handler builds it from `config()` with `captchaSettings`. */
export interface CaptchaSettings {
  siteKey: string;
  secret: string;
  verifyUrl: string;
  timeoutMs: number;
  /** The host the widget ran on, as hCaptcha reports it: the portal's public host. */
  expectedHostname: string;
}

/** The host hCaptcha must report: the portal's public host. */
export function expectedHostname(publicUrl: string): string {
  return new URL(publicUrl).hostname;
}

/** The captcha settings of a configuration; `undefined` when hCaptcha is off. */
export function captchaSettings(cfg: Pick<AppConfig, 'hcaptcha' | 'publicUrl'>): CaptchaSettings | undefined {
  if (!cfg.hcaptcha) return undefined;
  return { ...cfg.hcaptcha, expectedHostname: expectedHostname(cfg.publicUrl) };
}

/** Asks hCaptcha about `token`; `settings` undefined means hCaptcha is off. */
export async function verifyCaptcha(
  settings: CaptchaSettings | undefined,
  token: string | undefined,
  remoteIp: string | undefined,
): Promise<CaptchaOutcome> {
  if (!settings) return 'niet_van_toepassing';
  // No token: the browser ran no JavaScript (or blocked hCaptcha). Accept, and say so.
  if (!token) return 'niet_gecontroleerd';
  const body = new URLSearchParams({ secret: settings.secret, response: token, sitekey: settings.siteKey });
  if (remoteIp) body.set('remoteip', remoteIp);
  try {
    const response = await fetch(settings.verifyUrl, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!response.ok) return 'niet_gecontroleerd';
    const result = (await response.json()) as { success?: unknown; hostname?: unknown };
    if (result.success !== true) return 'mislukt';
    // Solved, but not on this portal's host as hCaptcha reports it (or no host at all: a misconfigured
    // PUBLIC_URL, a stand-in): the report is accepted and marked for the coordinator, never lost.
    return typeof result.hostname === 'string' && result.hostname.toLowerCase() === settings.expectedHostname.toLowerCase() ? 'geslaagd' : 'niet_gecontroleerd';
  } catch {
    // Timeout, refused connection, bad JSON: hCaptcha could not be asked.
    return 'niet_gecontroleerd';
  }
}
