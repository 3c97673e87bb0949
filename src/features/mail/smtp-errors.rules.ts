/**
 * SMTP failures as codes only: the error code (ECONNECTION, EENVELOPE, ETIMEDOUT), the SMTP reply code and
 * the enhanced status code (5.1.1). SMTP servers echo recipients' names, addresses and streets in their
 * text, so no text is kept: this is what the admin's mail page and the log show.
 */

const ERROR_CODE = /^E[A-Z][A-Z_]{1,30}$/;
const REPLY_CODE = /^[245]\d\d$/;
const ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3}$/;

/** The codes of a failure thrown by the transport (nodemailer's error shape). */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown; response?: unknown };
  const code = typeof e.code === 'string' && ERROR_CODE.test(e.code) ? e.code : undefined;
  const reply = typeof e.responseCode === 'number' && REPLY_CODE.test(String(e.responseCode)) ? String(e.responseCode) : undefined;
  const text = [e.response, e.message].filter((t): t is string => typeof t === 'string').join(' ');
  const enhanced = text.split(/[\s:;,<>()[\]]+/).find((word) => ENHANCED_CODE.test(word));
  const parts = [code, reply, enhanced].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join(' ') : 'onbekende fout';
}

/**
 * A stored error as codes only, for showing it: rows written before errors were kept as codes may still
 * hold a server's text.
 */
export function storedErrorCodes(stored: string): string {
  const codes = stored.split(/[\s:;,<>()[\]]+/).filter((word) => ERROR_CODE.test(word) || REPLY_CODE.test(word) || ENHANCED_CODE.test(word));
  return codes.length ? [...new Set(codes)].join(' ') : 'onbekende fout';
}
