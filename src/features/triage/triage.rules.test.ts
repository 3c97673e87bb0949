import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STATUS } from '#features/reports/options.schema.ts';
import { CLOSED, OUTCOMES, TRANSITIONS, isOutcome, isStatus, transitionProblem, type Status, type TransitionInput } from './triage.rules.ts';

/**
 * The status table of spec §5, written out here independently of src/features/triage/triage.rules.ts: for each
 * target status, the statuses it may be reached from. Everything else is refused.
 */
const SPEC_FROM: Record<Status, Status[]> = {
  nieuw: [],
  in_behandeling: ['nieuw', 'wacht_op_info', 'afgesloten', 'samengevoegd', 'doorgestuurd', 'geannuleerd'],
  wacht_op_info: ['in_behandeling'],
  uitgezet: ['in_behandeling'],
  afgesloten: ['uitgezet', 'in_behandeling'],
  samengevoegd: ['nieuw', 'in_behandeling'],
  doorgestuurd: ['nieuw', 'in_behandeling'],
  geannuleerd: ['nieuw', 'in_behandeling'],
  acuut_doorgezet: [],
};

const ALL = Object.keys(STATUS) as Status[];
const allowedBySpec = (from: Status, to: Status): boolean => SPEC_FROM[to].includes(from);
/** Reopening: back to in_behandeling from a closed status (a reason is required). */
const REOPEN_FROM: Status[] = ['afgesloten', 'samengevoegd', 'doorgestuurd', 'geannuleerd'];

/** Every input a transition could need, all filled in: only the table can refuse it then. */
const FULL: TransitionInput = { outcome: 'bespreken_in_mdo', mergeInto: 'MB-ABCDEFGH', forwardedTo: 'Veilig Thuis', reason: 'Dubbele melding' };

/** What the spec requires for `from → to`, as the field whose absence must be refused. */
function requiredFields(from: Status, to: Status): (keyof TransitionInput)[] {
  const fields: (keyof TransitionInput)[] = [];
  if (to === 'uitgezet' || to === 'afgesloten') fields.push('outcome');
  if (to === 'samengevoegd') fields.push('mergeInto');
  if (to === 'doorgestuurd') fields.push('forwardedTo');
  if (to === 'geannuleerd') fields.push('reason');
  if (to === 'in_behandeling' && REOPEN_FROM.includes(from)) fields.push('reason');
  return fields;
}

describe('status transitions: all 9 × 9 pairs against the spec table', () => {
  test('the table knows exactly the nine statuses of the spec', () => {
    assert.deepEqual(ALL.sort(), Object.keys(SPEC_FROM).sort());
    assert.equal(ALL.length, 9);
    for (const s of ALL) assert.ok(isStatus(s), s);
  });

  for (const from of ALL) {
    for (const to of ALL) {
      const allowed = allowedBySpec(from, to);
      test(`${from} → ${to}: ${allowed ? 'allowed' : 'refused'}`, () => {
        assert.equal(TRANSITIONS[from].includes(to), allowed, 'TRANSITIONS table');
        const problem = transitionProblem(from, to, FULL, { outcome: 'geen_actie' });
        if (allowed) {
          assert.equal(problem, undefined);
        } else {
          assert.deepEqual(problem, { field: 'status', message: 'Deze statuswijziging is niet toegestaan' });
        }
      });
    }
  }

  test('no status goes to itself, and nothing leaves acuut_doorgezet or goes back to nieuw', () => {
    for (const s of ALL) assert.notEqual(transitionProblem(s, s, FULL), undefined, s);
    for (const to of ALL) assert.equal(transitionProblem('acuut_doorgezet', to, FULL)?.field, 'status', to);
    for (const from of ALL) assert.equal(transitionProblem(from, 'nieuw', FULL)?.field, 'status', from);
    for (const from of ALL) assert.equal(transitionProblem(from, 'acuut_doorgezet', FULL)?.field, 'status', from);
  });

  test('an unknown status is refused, including names on Object.prototype', () => {
    for (const to of ['', 'gesloten', 'AFGESLOTEN', 'toString', 'constructor', '__proto__', 'hasOwnProperty', ' in_behandeling']) {
      assert.deepEqual(transitionProblem('in_behandeling', to, FULL), { field: 'status', message: 'Kies een bestaande status' }, JSON.stringify(to));
      assert.equal(isStatus(to), false, to);
    }
    assert.equal(isStatus(undefined), false);
    assert.equal(isStatus(3), false);
  });
});

describe('status transitions: the inputs each one requires', () => {
  const blanks: [string, string | undefined][] = [['absent', undefined], ['empty', ''], ['only spaces', '   \t ']];

  for (const from of ALL) {
    for (const to of ALL) {
      if (!allowedBySpec(from, to)) continue;
      const required = requiredFields(from, to);
      test(`${from} → ${to} requires ${required.length ? required.join(', ') : 'nothing'}`, () => {
        // With only what is required (and no outcome on the report yet), it passes.
        const minimal: TransitionInput = {};
        for (const f of required) minimal[f] = FULL[f];
        assert.equal(transitionProblem(from, to, minimal, {}), undefined, 'minimal input');
        // Without each required field it is refused, on that field.
        for (const f of required) {
          for (const [what, blank] of blanks) {
            const input = { ...minimal, [f]: blank };
            const problem = transitionProblem(from, to, input, {});
            assert.equal(problem?.field, f, `${f} ${what}`);
            assert.ok(problem!.message.length > 5, 'a message to show');
          }
        }
      });
    }
  }

  test('the messages name what is missing, in Dutch', () => {
    assert.equal(transitionProblem('in_behandeling', 'uitgezet', {})?.message, 'Kies de uitkomst');
    assert.match(transitionProblem('nieuw', 'samengevoegd', {})!.message, /referentienummer/);
    assert.match(transitionProblem('nieuw', 'doorgestuurd', {})!.message, /naar wie/);
    assert.match(transitionProblem('nieuw', 'geannuleerd', {})!.message, /reden/i);
    assert.match(transitionProblem('afgesloten', 'in_behandeling', {})!.message, /weer opent/);
  });

  test('uitgezet and afgesloten refuse an outcome that is not one of the eleven', () => {
    for (const to of ['uitgezet', 'afgesloten'] as const) {
      for (const outcome of ['onbekend', 'Bespreken in MDO', 'toString', '__proto__']) {
        assert.deepEqual(transitionProblem('in_behandeling', to, { outcome }), { field: 'outcome', message: 'Kies een bestaande uitkomst' }, `${to} ${outcome}`);
      }
      for (const outcome of Object.keys(OUTCOMES)) assert.equal(transitionProblem('in_behandeling', to, { outcome }), undefined, `${to} ${outcome}`);
    }
  });

  test('the outcome already on the report counts: uitgezet → afgesloten needs no new one', () => {
    assert.equal(transitionProblem('uitgezet', 'afgesloten', {}, { outcome: 'bemoeizorg' }), undefined);
    assert.equal(transitionProblem('uitgezet', 'afgesloten', { outcome: '' }, { outcome: 'bemoeizorg' }), undefined);
    assert.equal(transitionProblem('uitgezet', 'afgesloten', {}, { outcome: 'kapot' })?.field, 'outcome');
    assert.equal(transitionProblem('uitgezet', 'afgesloten', {}, {})?.field, 'outcome');
  });

  test('reopening needs a reason; coming back from wacht_op_info or starting from nieuw does not', () => {
    for (const from of REOPEN_FROM) {
      assert.equal(transitionProblem(from, 'in_behandeling', {})?.field, 'reason', from);
      assert.equal(transitionProblem(from, 'in_behandeling', { reason: 'Nieuwe zorgen van de buren' }), undefined, from);
    }
    assert.equal(transitionProblem('wacht_op_info', 'in_behandeling', {}), undefined);
    assert.equal(transitionProblem('nieuw', 'in_behandeling', {}), undefined);
  });

  test('the table is checked before the inputs: a refused transition says so even with inputs missing', () => {
    assert.equal(transitionProblem('nieuw', 'afgesloten', {})?.field, 'status');
    assert.equal(transitionProblem('nieuw', 'uitgezet', {})?.field, 'status');
    assert.equal(transitionProblem('uitgezet', 'in_behandeling', {})?.field, 'status');
  });
});

describe('outcomes and closed statuses', () => {
  test('the eleven outcomes of the spec, with their exact labels', () => {
    assert.deepEqual(Object.values(OUTCOMES), [
      'Geen actie / advies gegeven',
      'Buurtbemiddeling',
      'Sociaal team (casusregie)',
      "GGD'er in de buurt",
      'Bemoeizorg',
      'Veilig Thuis',
      'Zorg- en Veiligheidshuis',
      'Politie / OOV',
      'Woningcorporatie',
      'Wvggz verkennend onderzoek',
      'Bespreken in MDO',
    ]);
    for (const code of Object.keys(OUTCOMES)) assert.ok(isOutcome(code), code);
    for (const v of ['', 'toString', 'Bemoeizorg', undefined, 1]) assert.equal(isOutcome(v), false, String(v));
  });

  test('one reopens from closed statuses only; uitgezet goes on to afgesloten, an acute record stays as it is', () => {
    const reopenable = [...CLOSED].filter((s) => TRANSITIONS[s].includes('in_behandeling'));
    assert.deepEqual(reopenable.sort(), [...REOPEN_FROM].sort());
    assert.deepEqual([...CLOSED].filter((s) => !reopenable.includes(s)).sort(), ['acuut_doorgezet', 'uitgezet']);
    assert.deepEqual(TRANSITIONS.uitgezet, ['afgesloten']);
    assert.deepEqual(TRANSITIONS.acuut_doorgezet, []);
  });
});
