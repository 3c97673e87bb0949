import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';
import { SEALED_COLUMNS } from '#features/reports/sealed-columns.rules.ts';

/**
 * Whether any sensitive value is still stored plain: a database from before encryption. One indexless
 * look per table in SQL (milliseconds at 100,000 reports), so a database that was encrypted from its first
 * row — or filled by `demo:data` — is not walked and decrypted row by row at its first start.
 */
const plain = (column: string) => `(${column} IS NOT NULL AND ${column} <> '' AND substr(${column}, 1, 3) <> 'v1.')`;

const statement = lazy(() =>
  db().prepare(`SELECT
    EXISTS (SELECT 1 FROM reports WHERE ${SEALED_COLUMNS.map(plain).join(' OR ')})
    OR EXISTS (SELECT 1 FROM report_notes WHERE ${plain('body')})
    OR EXISTS (SELECT 1 FROM report_additions WHERE ${['body', 'caller_name', 'caller_phone'].map(plain).join(' OR ')})
    OR EXISTS (SELECT 1 FROM report_events WHERE ${plain('reason')} OR (kind = 'regie' AND (${plain('from_value')} OR ${plain('to_value')})))
    OR EXISTS (SELECT 1 FROM drafts WHERE ${plain('answers')})
    OR EXISTS (SELECT 1 FROM outbox WHERE ${plain('recipient')})
    OR EXISTS (SELECT 1 FROM users WHERE ${plain('totp_secret')})
    OR EXISTS (SELECT 1 FROM cases WHERE ${['name', 'case_director', 'process_director', 'treatment_director'].map(plain).join(' OR ')})
    OR EXISTS (SELECT 1 FROM case_events WHERE ${plain('reason')} OR (kind IN ('regie', 'naam') AND (${plain('from_value')} OR ${plain('to_value')})))
    OR EXISTS (SELECT 1 FROM case_actions WHERE ${plain('what')} OR ${plain('who')})
    OR EXISTS (SELECT 1 FROM meetings WHERE ${plain('participants')})
    OR EXISTS (SELECT 1 FROM meeting_items WHERE ${plain('question')} OR ${plain('agreements')}) AS found`),
);

export function anyPlainValue(): boolean {
  return (statement().get() as { found: number }).found === 1;
}
