// Runs before `npm start` and `npm test` (package.json prestart/pretest), in plain JavaScript so that
// any Node can run it: with a Node older than the portal needs, say so in Dutch and English and stop,
// instead of a stack trace (ERR_UNKNOWN_FILE_EXTENSION) from the TypeScript files.
import { readFileSync } from 'node:fs';

/** The major version the portal needs (.nvmrc). */
export const REQUIRED_MAJOR = Number(readFileSync(new URL('../../.nvmrc', import.meta.url), 'utf8').trim());

/** The message for a Node that is too old, or undefined when `version` (e.g. "20.11.1") is new enough. */
export function nodeVersionProblem(version, required = REQUIRED_MAJOR) {
  const major = Number(String(version).replace(/^v/, '').split('.')[0]);
  if (major >= required) return undefined;
  return [
    `Meldpunt Bezorgd heeft Node.js ${required} of nieuwer nodig. Op deze computer staat Node.js ${version}.`,
    `Installeer Node.js ${required} via https://nodejs.org/ of met nvm: "nvm install ${required}" in deze map (de versie staat in .nvmrc).`,
    `Daarna werken "npm start" en "npm test".`,
    '',
    `Meldpunt Bezorgd needs Node.js ${required} or newer. This computer has Node.js ${version}.`,
    `Install Node.js ${required} from https://nodejs.org/ or with nvm: "nvm install ${required}" in this folder (the version is in .nvmrc).`,
    `Then "npm start" and "npm test" work.`,
  ].join('\n');
}

// `--node-version 20.11.1`: check that version instead of this Node's (for the tests).
if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const at = process.argv.indexOf('--node-version');
  const problem = nodeVersionProblem(at > 0 ? process.argv[at + 1] : process.versions.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
