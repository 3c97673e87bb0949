/**
 * Which end-to-end specs run with JavaScript on as well as off.
 *
 * Every page works without JavaScript (the js-off project runs every spec). Only two components put a
 * script on a page: the photo preview on the BOA form and the hCaptcha loader on the check page. A page
 * without a script is the same page with JavaScript on (the same HTML, the same native form posts), so
 * running its spec twice tests nothing twice over (in the js-off project the axe scan already runs in a
 * JavaScript-enabled copy of the page). The js-on project runs the specs of the pages that do carry a
 * script, and the resident's journey with its axe scans.
 *
 * `tests/scripted-pages.test.ts` keeps this honest: the components in src/ that carry a script (a
 * `client:` island or a `<script>`) must be exactly the keys of SCRIPTED, so a new script fails that
 * test until its specs are listed here.
 */
export const SCRIPTED: Readonly<Record<string, readonly string[]>> = {
  'src/features/photos/PhotoField.astro': ['staff/boa.spec.ts', 'staff/boa-photos.spec.ts', 'staff/a11y-boa.spec.ts'],
  'src/features/intake/resident/CaptchaWidget.astro': ['resident/captcha.spec.ts'],
};

/** Specs run with JavaScript on whatever their pages carry: the resident's journey and its axe scans. */
export const ALWAYS_BOTH: readonly string[] = ['resident/a11y.spec.ts', 'resident/happy-path.spec.ts'];

/** The specs of the js-on project, relative to tests/e2e/. */
export const JS_ON_SPECS: readonly string[] = [...new Set([...Object.values(SCRIPTED).flat(), ...ALWAYS_BOTH])].sort();
