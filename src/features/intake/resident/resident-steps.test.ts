import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STEPS, TOTAL_STEPS, stepById, stepBySlug } from './resident-steps.schema.ts';
import { acuteSchema, concernSchema, personSchema, reporterSchema } from './report.schema.ts';

/** The exact labels and option labels of spec §2; acceptance tests find fields by them. */
const SPEC: Record<string, [string, string[]?][]> = {
  gevaar: [['Is er nu direct gevaar voor iemand?', ['Ja', 'Nee']]],
  persoon: [
    ['Naam van de persoon'],
    ['Leeftijd van de persoon', ['Jonger dan 16 jaar', '16 of 17 jaar', '18 jaar of ouder', 'Weet ik niet']],
    ['Waar woont of verblijft de persoon?', ['Op een adres', 'Geen vast adres of adres onbekend']],
    ['Postcode'],
    ['Huisnummer'],
    ['Toevoeging'],
    ['Straat'],
    ['Plaats'],
    ['Beschrijf de plek waar u de persoon ziet'],
    ['Wonen er kinderen in het huis?', ['Ja', 'Nee', 'Weet ik niet']],
  ],
  zorgen: [
    ['Waar maakt u zich zorgen over?', [
      'Verward gedrag', 'Vervuiling of verzamelen van spullen', 'Zichzelf verwaarlozen', 'Eenzaamheid',
      'Verslaving (alcohol of drugs)', 'Overlast of agressie', 'Dreigen met geweld', 'Praten over zelfdoding',
      'Geldproblemen of huisuitzetting', 'Vergeetachtigheid of dementie', 'Iets anders',
    ]],
    ['Wat heeft u gezien of gehoord?'],
    ['Sinds wanneer maakt u zich zorgen?', ['Minder dan een week', 'Een paar weken', 'Een paar maanden', 'Langer dan een jaar']],
    ['Is de persoon een gevaar voor zichzelf?', ['Ja', 'Nee', 'Weet ik niet']],
    ['Is de persoon een gevaar voor anderen?', ['Ja', 'Nee', 'Weet ik niet']],
    ['Weet de persoon dat u deze melding doet?', ['Ja', 'Nee', 'Weet ik niet']],
    ['Wie is er al betrokken?', [
      'Huisarts', 'Wijkteam of sociaal team', 'Politie', 'Woningcorporatie', 'GGZ of verslavingszorg', 'Veilig Thuis',
      'Iemand anders', 'Niemand of weet ik niet',
    ]],
  ],
  'over-u': [
    ['Wat is uw relatie tot de persoon?', ['Buurman of buurvrouw', 'Familie', 'Vriend of kennis', 'Ik ben professional', 'Anders']],
    ['Wilt u anoniem melden?', ['Nee, ik geef mijn gegevens', 'Ja, ik meld anoniem']],
    ['Uw naam'],
    ['Telefoonnummer'],
    ['E-mailadres'],
  ],
};

describe('resident form steps', () => {
  test('four question steps numbered 1–4 of 5, in spec order, with their schemas', () => {
    assert.equal(TOTAL_STEPS, 5);
    assert.deepEqual(STEPS.map((s) => [s.id, s.number, s.path, s.title]), [
      ['gevaar', 1, '/melden', 'Direct gevaar'],
      ['persoon', 2, '/melden/persoon', 'Over de persoon'],
      ['zorgen', 3, '/melden/zorgen', 'Uw zorgen'],
      ['over-u', 4, '/melden/over-u', 'Over u'],
    ]);
    assert.deepEqual(STEPS.map((s) => s.schema), [acuteSchema, personSchema, concernSchema, reporterSchema]);
  });

  test('labels and option labels are exactly those of the spec', () => {
    for (const step of STEPS) {
      const expected = SPEC[step.id];
      assert.ok(expected, step.id);
      assert.deepEqual(
        step.fields.map((f) => (f.options ? [f.label, Object.values(f.options)] : [f.label])),
        expected,
        step.id,
      );
    }
  });

  test('every field of a step is a key of its schema (no field goes unvalidated)', () => {
    for (const step of STEPS) {
      const result = step.schema.safeParse({});
      assert.ok(!result.success);
      const names = new Set(step.fields.map((f) => f.name));
      for (const issue of result.error.issues) assert.ok(names.has(String(issue.path[0])), `${step.id}: ${String(issue.path[0])}`);
    }
  });

  test('stepById and stepBySlug', () => {
    assert.equal(stepById('zorgen')?.number, 3);
    assert.equal(stepById('bestaat-niet'), undefined);
    assert.equal(stepBySlug(undefined)?.id, 'gevaar');
    assert.equal(stepBySlug('over-u')?.id, 'over-u');
    assert.equal(stepBySlug('controleren'), undefined);
  });
});
