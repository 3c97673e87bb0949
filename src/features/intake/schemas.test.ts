import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { z } from 'astro/zod';
import { cleanText, fieldErrors, parseStep, readFields, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { acuteFields, acuteSchema, concernFields, concernSchema, normalisePostcode, personFields, personSchema, reporterSchema } from '#features/intake/resident/report.schema.ts';
import { CONCERNS, INVOLVED } from '#features/reports/options.schema.ts';

/** Parses and insists on success; returns the clean values. */
function accept<S extends z.ZodType>(schema: S, raw: RawAnswers): z.output<S> {
  const result = parseStep(schema, raw);
  if (!result.ok) assert.fail(`expected the answers to be accepted, got ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** Parses anything (also wrong types) and insists on failure; returns the first message per field. */
function reject(schema: z.ZodType, raw: unknown): FieldErrors {
  const result = schema.safeParse(raw);
  if (result.success) assert.fail(`expected the answers to be refused, got ${JSON.stringify(result.data)}`);
  return fieldErrors(result.error);
}

const x = (n: number): string => 'x'.repeat(n);

// ---------------------------------------------------------------------------------------------

describe('step 1: acuteSchema', () => {
  test('accepts Ja and Nee', () => {
    assert.deepEqual(accept(acuteSchema, { acuteDanger: 'ja' }), { acuteDanger: 'ja' });
    assert.deepEqual(accept(acuteSchema, { acuteDanger: 'nee' }), { acuteDanger: 'nee' });
  });

  test('a missing answer gets the Dutch message', () => {
    assert.deepEqual(reject(acuteSchema, { acuteDanger: '' }), { acuteDanger: 'Kies of er nu direct gevaar is voor iemand' });
    assert.deepEqual(reject(acuteSchema, {}), { acuteDanger: 'Kies of er nu direct gevaar is voor iemand' });
  });

  test('refuses unknown codes, labels instead of codes and wrong types', () => {
    for (const value of ['misschien', 'Ja', 'JA', ['ja'], ['ja', 'nee'], true, 1, null]) {
      assert.deepEqual(reject(acuteSchema, { acuteDanger: value }), { acuteDanger: 'Kies of er nu direct gevaar is voor iemand' }, String(value));
    }
  });
});

// ---------------------------------------------------------------------------------------------

const personAtAddress = {
  personName: '',
  personAge: '18_plus',
  locationKind: 'adres',
  postcode: '9351 ab',
  houseNumber: '12',
  houseAddition: '',
  street: '',
  place: '',
  locationDescription: '',
  childrenInHome: '',
} satisfies RawAnswers;

const personWithoutAddress = {
  ...personAtAddress,
  locationKind: 'geen_vast_adres',
  postcode: '',
  houseNumber: '',
  locationDescription: 'Bij het bushokje aan de Hoofdstraat',
} satisfies RawAnswers;

describe('step 2: personSchema', () => {
  test('minimal answers at an address: empty optional answers become undefined, postcode normalised', () => {
    assert.deepEqual(accept(personSchema, personAtAddress), {
      personName: undefined,
      personAge: '18_plus',
      locationKind: 'adres',
      postcode: '9351AB',
      houseNumber: '12',
      houseAddition: undefined,
      street: undefined,
      place: undefined,
      locationDescription: undefined,
      childrenInHome: undefined,
    });
  });

  test('full answers at an address are kept, trimmed', () => {
    const data = accept(personSchema, {
      personName: '  Jan de Vries  ',
      personAge: 'jonger_dan_16',
      locationKind: 'adres',
      postcode: ' 9351ab ',
      houseNumber: ' 12345 ',
      houseAddition: 'A 2',
      street: 'Hoofdstraat',
      place: 'Leek',
      locationDescription: '',
      childrenInHome: 'ja',
    });
    assert.deepEqual(data, {
      personName: 'Jan de Vries',
      personAge: 'jonger_dan_16',
      locationKind: 'adres',
      postcode: '9351AB',
      houseNumber: '12345',
      houseAddition: 'A 2',
      street: 'Hoofdstraat',
      place: 'Leek',
      locationDescription: undefined,
      childrenInHome: 'ja',
    });
  });

  test('minimal answers without a fixed address', () => {
    const data = accept(personSchema, personWithoutAddress);
    assert.equal(data.locationKind, 'geen_vast_adres');
    assert.equal(data.locationDescription, 'Bij het bushokje aan de Hoofdstraat');
    assert.equal(data.postcode, undefined);
    assert.equal(data.houseNumber, undefined);
  });

  test('every age and every children answer is accepted', () => {
    for (const personAge of ['jonger_dan_16', '16_17', '18_plus', 'onbekend']) {
      assert.equal(accept(personSchema, { ...personAtAddress, personAge }).personAge, personAge);
    }
    for (const childrenInHome of ['ja', 'nee', 'weet_niet']) {
      assert.equal(accept(personSchema, { ...personAtAddress, childrenInHome }).childrenInHome, childrenInHome);
    }
  });

  test('required radios have Dutch messages', () => {
    assert.equal(reject(personSchema, { ...personAtAddress, personAge: '' })['personAge'], 'Kies de leeftijd van de persoon');
    assert.equal(reject(personSchema, { ...personAtAddress, locationKind: '' })['locationKind'], 'Kies waar de persoon woont of verblijft');
  });

  test('at an address: postcode and house number are required', () => {
    assert.deepEqual(reject(personSchema, { ...personAtAddress, postcode: '' }), { postcode: 'Vul de postcode in' });
    assert.deepEqual(reject(personSchema, { ...personAtAddress, postcode: '   ' }), { postcode: 'Vul de postcode in' });
    assert.deepEqual(reject(personSchema, { ...personAtAddress, houseNumber: '' }), { houseNumber: 'Vul het huisnummer in' });
    assert.deepEqual(reject(personSchema, { ...personAtAddress, postcode: '', houseNumber: '' }), {
      postcode: 'Vul de postcode in',
      houseNumber: 'Vul het huisnummer in',
    });
  });

  test('postcode: any spacing and case is normalised to 1234AB', () => {
    assert.equal(normalisePostcode('9351 ab'), '9351AB');
    for (const postcode of ['9351 ab', '9351ab', '9351AB', ' 9351  Ab ', '9351\tAB']) {
      assert.equal(accept(personSchema, { ...personAtAddress, postcode }).postcode, '9351AB', postcode);
    }
  });

  test('postcode: invalid postcodes are refused with an example', () => {
    for (const postcode of ['0351AB', '9351A', '935AB', '93511AB', '9351ABC', 'ABCD12', '9351-AB', '9351 A1', 'postcode', x(21)]) {
      assert.deepEqual(reject(personSchema, { ...personAtAddress, postcode }), { postcode: 'Vul een postcode in zoals 1234 AB' }, postcode);
    }
  });

  test('house number: 1 to 5 digits', () => {
    for (const houseNumber of ['1', '12', '12345']) {
      assert.equal(accept(personSchema, { ...personAtAddress, houseNumber }).houseNumber, houseNumber);
    }
    for (const houseNumber of ['123456', '12a', '12 A', '-1', '1.5', 'twaalf', x(21)]) {
      assert.deepEqual(
        reject(personSchema, { ...personAtAddress, houseNumber }),
        { houseNumber: 'Vul een huisnummer in met alleen cijfers, zoals 12' },
        houseNumber,
      );
    }
  });

  test('without a fixed address: the place description is required, the address is not', () => {
    assert.deepEqual(reject(personSchema, { ...personWithoutAddress, locationDescription: '' }), {
      locationDescription: 'Beschrijf de plek waar u de persoon ziet',
    });
    assert.deepEqual(reject(personSchema, { ...personWithoutAddress, locationDescription: '  \n ' }), {
      locationDescription: 'Beschrijf de plek waar u de persoon ziet',
    });
    // An invalid postcode does not matter when there is no address.
    accept(personSchema, { ...personWithoutAddress, postcode: 'onzin', houseNumber: 'abc' });
  });

  test('least data: the address is dropped when the person has no fixed address', () => {
    const data = accept(personSchema, {
      ...personWithoutAddress,
      postcode: '9351 AB',
      houseNumber: '12',
      houseAddition: 'A',
      street: 'Hoofdstraat',
    });
    assert.equal(data.postcode, undefined);
    assert.equal(data.houseNumber, undefined);
    assert.equal(data.houseAddition, undefined);
    assert.equal(data.street, undefined);
    assert.equal(data.locationDescription, 'Bij het bushokje aan de Hoofdstraat');
  });

  test('least data: a place description is dropped when the person lives at an address', () => {
    const data = accept(personSchema, { ...personAtAddress, locationDescription: 'Bij het bushokje' });
    assert.equal(data.locationDescription, undefined);
    assert.equal(data.postcode, '9351AB');
  });

  test('lengths: name 200, addition 6, street and place 200, place description 1000', () => {
    assert.equal(accept(personSchema, { ...personAtAddress, personName: x(200) }).personName, x(200));
    assert.deepEqual(reject(personSchema, { ...personAtAddress, personName: x(201) }), { personName: 'Gebruik maximaal 200 tekens' });
    assert.equal(accept(personSchema, { ...personAtAddress, houseAddition: x(6) }).houseAddition, x(6));
    assert.deepEqual(reject(personSchema, { ...personAtAddress, houseAddition: x(7) }), { houseAddition: 'Gebruik maximaal 6 tekens' });
    assert.deepEqual(reject(personSchema, { ...personAtAddress, street: x(201) }), { street: 'Gebruik maximaal 200 tekens' });
    assert.deepEqual(reject(personSchema, { ...personAtAddress, place: x(201) }), { place: 'Gebruik maximaal 200 tekens' });
    const long = x(1000);
    assert.equal(accept(personSchema, { ...personWithoutAddress, locationDescription: long }).locationDescription, long);
    assert.deepEqual(reject(personSchema, { ...personWithoutAddress, locationDescription: x(1001) }), {
      locationDescription: 'Gebruik maximaal 1000 tekens',
    });
  });

  test('unknown option codes and arrays for radios are refused', () => {
    assert.equal(reject(personSchema, { ...personAtAddress, personAge: '99' })['personAge'], 'Kies de leeftijd van de persoon');
    assert.equal(reject(personSchema, { ...personAtAddress, personAge: ['18_plus'] })['personAge'], 'Kies de leeftijd van de persoon');
    assert.equal(reject(personSchema, { ...personAtAddress, locationKind: 'boot' })['locationKind'], 'Kies waar de persoon woont of verblijft');
    assert.equal(reject(personSchema, { ...personAtAddress, locationKind: ['adres'] })['locationKind'], 'Kies waar de persoon woont of verblijft');
    assert.equal(reject(personSchema, { ...personAtAddress, childrenInHome: 'soms' })['childrenInHome'], 'Kies Ja, Nee of Weet ik niet');
    assert.equal(reject(personSchema, { ...personAtAddress, childrenInHome: ['ja'] })['childrenInHome'], 'Kies Ja, Nee of Weet ik niet');
  });

  test('text fields refuse arrays (a field posted twice)', () => {
    assert.ok(reject(personSchema, { ...personAtAddress, personName: ['a', 'b'] })['personName']);
    assert.ok(reject(personSchema, { ...personAtAddress, postcode: ['9351AB', '9351AC'] })['postcode']);
  });

  // The error summary must list every problem at once (spec §2, "every message next to its field");
  // a resident should not fix one answer only to be told about the next one.
  test('reports every problem at once: a missing age does not hide a missing postcode', () => {
    assert.deepEqual(reject(personSchema, { ...personAtAddress, personAge: '', postcode: '', houseNumber: '' }), {
      personAge: 'Kies de leeftijd van de persoon',
      postcode: 'Vul de postcode in',
      houseNumber: 'Vul het huisnummer in',
    });
  });
});

// ---------------------------------------------------------------------------------------------

const concernMinimal = {
  concerns: ['eenzaamheid'],
  description: 'Hij komt al weken niet meer buiten.',
  concernSince: 'paar_weken',
  dangerToSelf: 'nee',
  dangerToOthers: 'nee',
  personAware: 'weet_niet',
  involved: [],
} satisfies RawAnswers;

describe('step 3: concernSchema', () => {
  test('minimal answers', () => {
    assert.deepEqual(accept(concernSchema, concernMinimal), concernMinimal);
  });

  test('full answers: every category and every party, duplicates collapsed, description trimmed', () => {
    const all = Object.keys(CONCERNS);
    const involved = Object.keys(INVOLVED);
    const data = accept(concernSchema, {
      concerns: [...all, 'eenzaamheid'],
      description: '  Regel één\nRegel twee 😟  ',
      concernSince: 'langer_dan_jaar',
      dangerToSelf: 'ja',
      dangerToOthers: 'weet_niet',
      personAware: 'ja',
      involved: [...involved, 'politie'],
    });
    assert.deepEqual(data.concerns, all);
    assert.deepEqual(data.involved, involved);
    assert.equal(data.description, 'Regel één\nRegel twee 😟');
    assert.equal(data.dangerToSelf, 'ja');
  });

  test('at least one concern', () => {
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, concerns: [] }), {
      concerns: 'Kies minstens één ding waar u zich zorgen over maakt',
    });
  });

  test('required radios have Dutch messages', () => {
    const cases: [string, string][] = [
      ['concernSince', 'Kies sinds wanneer u zich zorgen maakt'],
      ['dangerToSelf', 'Kies of de persoon een gevaar is voor zichzelf'],
      ['dangerToOthers', 'Kies of de persoon een gevaar is voor anderen'],
      ['personAware', 'Kies of de persoon weet dat u deze melding doet'],
    ];
    for (const [field, message] of cases) {
      assert.deepEqual(reject(concernSchema, { ...concernMinimal, [field]: '' }), { [field]: message }, field);
      assert.deepEqual(reject(concernSchema, { ...concernMinimal, [field]: 'onzin' }), { [field]: message }, field);
      assert.deepEqual(reject(concernSchema, { ...concernMinimal, [field]: ['ja'] }), { [field]: message }, field);
    }
  });

  test('description: required, at least 10 and at most 4000 characters', () => {
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, description: '' }), {
      description: 'Beschrijf wat u heeft gezien of gehoord',
    });
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, description: ' \n\t ' }), {
      description: 'Beschrijf wat u heeft gezien of gehoord',
    });
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, description: '123456789' }), {
      description: 'Schrijf minstens 10 tekens over wat u heeft gezien of gehoord',
    });
    // Padding does not count towards the minimum.
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, description: '   123456789   ' }), {
      description: 'Schrijf minstens 10 tekens over wat u heeft gezien of gehoord',
    });
    assert.equal(accept(concernSchema, { ...concernMinimal, description: '1234567890' }).description, '1234567890');
    assert.equal(accept(concernSchema, { ...concernMinimal, description: x(4000) }).description, x(4000));
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, description: x(4001) }), {
      description: 'Gebruik maximaal 4000 tekens. Maak uw tekst korter.',
    });
  });

  test('unknown categories or parties are refused', () => {
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, concerns: ['eenzaamheid', 'onzin'] }), {
      concerns: 'Kies waar u zich zorgen over maakt',
    });
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, concerns: ['Eenzaamheid'] }), {
      concerns: 'Kies waar u zich zorgen over maakt',
    });
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, involved: ['huisarts', 'buurman'] }), {
      involved: 'Kies wie er al betrokken is',
    });
  });

  test('checkbox groups must be lists', () => {
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, concerns: 'eenzaamheid' }), {
      concerns: 'Kies waar u zich zorgen over maakt',
    });
    assert.deepEqual(reject(concernSchema, { ...concernMinimal, involved: 'huisarts' }), {
      involved: 'Kies wie er al betrokken is',
    });
  });
});

// ---------------------------------------------------------------------------------------------

const reporterNamed = {
  reporterRelation: 'buren',
  anonymous: 'nee',
  reporterName: 'Anna Bakker',
  reporterPhone: '06 12345678',
  reporterEmail: 'anna@voorbeeld.nl',
} satisfies RawAnswers;

const reporterAnonymous = {
  reporterRelation: 'familie',
  anonymous: 'ja',
  reporterName: '',
  reporterPhone: '',
  reporterEmail: '',
} satisfies RawAnswers;

describe('step 4: reporterSchema', () => {
  test('minimal anonymous answers', () => {
    assert.deepEqual(accept(reporterSchema, reporterAnonymous), {
      reporterRelation: 'familie',
      anonymous: 'ja',
      reporterName: undefined,
      reporterPhone: undefined,
      reporterEmail: undefined,
    });
  });

  test('full answers with contact details', () => {
    assert.deepEqual(accept(reporterSchema, reporterNamed), reporterNamed);
  });

  test('every relation is accepted', () => {
    for (const reporterRelation of ['buren', 'familie', 'vriend', 'professional', 'anders']) {
      assert.equal(accept(reporterSchema, { ...reporterAnonymous, reporterRelation }).reporterRelation, reporterRelation);
    }
  });

  test('required radios have Dutch messages', () => {
    assert.equal(reject(reporterSchema, { ...reporterAnonymous, reporterRelation: '' })['reporterRelation'], 'Kies wat uw relatie tot de persoon is');
    assert.equal(reject(reporterSchema, { ...reporterAnonymous, anonymous: '' })['anonymous'], 'Kies of u anoniem wilt melden');
    assert.equal(reject(reporterSchema, { ...reporterAnonymous, anonymous: 'misschien' })['anonymous'], 'Kies of u anoniem wilt melden');
    assert.equal(reject(reporterSchema, { ...reporterAnonymous, anonymous: ['ja'] })['anonymous'], 'Kies of u anoniem wilt melden');
    assert.equal(reject(reporterSchema, { ...reporterAnonymous, reporterRelation: 'collega' })['reporterRelation'], 'Kies wat uw relatie tot de persoon is');
  });

  test('not anonymous: a name and a phone number or e-mail address are required', () => {
    assert.deepEqual(reject(reporterSchema, { ...reporterNamed, reporterName: '' }), { reporterName: 'Vul uw naam in' });
    assert.deepEqual(reject(reporterSchema, { ...reporterNamed, reporterName: '   ' }), { reporterName: 'Vul uw naam in' });
    assert.deepEqual(reject(reporterSchema, { ...reporterNamed, reporterPhone: '', reporterEmail: '' }), {
      reporterPhone: 'Vul een telefoonnummer of een e-mailadres in',
    });
  });

  test('not anonymous: a phone number or an e-mail address alone is enough', () => {
    const phoneOnly = accept(reporterSchema, { ...reporterNamed, reporterEmail: '' });
    assert.equal(phoneOnly.reporterPhone, '06 12345678');
    assert.equal(phoneOnly.reporterEmail, undefined);
    const emailOnly = accept(reporterSchema, { ...reporterNamed, reporterPhone: '' });
    assert.equal(emailOnly.reporterPhone, undefined);
    assert.equal(emailOnly.reporterEmail, 'anna@voorbeeld.nl');
  });

  test('phone numbers: Dutch and international accepted, nonsense refused', () => {
    for (const phone of ['06 12345678', '0612345678', '+31 6 12345678', '050-1234567', '+31 (0)50 123 4567', '+32 470 12 34 56', '(050) 123 45 67', '0031 (0)6 12 34 56 78']) {
      assert.equal(accept(reporterSchema, { ...reporterNamed, reporterPhone: phone }).reporterPhone, phone);
    }
    for (const phone of ['bel me', '12', '06-abcdefgh', '++31612345678', '06 1234 5678 9012 3456 7890', x(41)]) {
      assert.deepEqual(
        reject(reporterSchema, { ...reporterNamed, reporterPhone: phone }),
        { reporterPhone: 'Vul een telefoonnummer in zoals 06 12345678 of +31 6 12345678' },
        phone,
      );
    }
  });

  test('e-mail addresses: valid accepted, invalid refused', () => {
    for (const email of ['anna@voorbeeld.nl', 'a.b+meldpunt@sub.voorbeeld.org']) {
      assert.equal(accept(reporterSchema, { ...reporterNamed, reporterEmail: email }).reporterEmail, email);
    }
    for (const email of ['anna', 'anna@', '@voorbeeld.nl', 'anna@voorbeeld', 'anna bakker@voorbeeld.nl', 'anna@@voorbeeld.nl', 'anna@voorbeeld.n', `${x(250)}@a.nl`]) {
      assert.deepEqual(
        reject(reporterSchema, { ...reporterNamed, reporterEmail: email }),
        { reporterEmail: 'Vul een e-mailadres in zoals naam@voorbeeld.nl' },
        email,
      );
    }
  });

  test('name: at most 200 characters', () => {
    assert.equal(accept(reporterSchema, { ...reporterNamed, reporterName: x(200) }).reporterName, x(200));
    assert.deepEqual(reject(reporterSchema, { ...reporterNamed, reporterName: x(201) }), { reporterName: 'Gebruik maximaal 200 tekens' });
  });

  test("least data: an anonymous reporter's details are dropped, and not checked", () => {
    const data = accept(reporterSchema, {
      ...reporterAnonymous,
      reporterName: 'Anna Bakker',
      reporterPhone: 'geen nummer',
      reporterEmail: 'geen e-mail',
    });
    assert.equal(data.anonymous, 'ja');
    assert.equal(data.reporterName, undefined);
    assert.equal(data.reporterPhone, undefined);
    assert.equal(data.reporterEmail, undefined);
    assert.ok(!JSON.stringify(data).includes('Anna'));
  });

  test('reports every problem at once: a missing relation does not hide missing contact details', () => {
    assert.deepEqual(reject(reporterSchema, { ...reporterNamed, reporterRelation: '', reporterName: '', reporterPhone: '', reporterEmail: '' }), {
      reporterRelation: 'Kies wat uw relatie tot de persoon is',
      reporterName: 'Vul uw naam in',
      reporterPhone: 'Vul een telefoonnummer of een e-mailadres in',
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('cleanText', () => {
  test('strips NUL and C0 control characters and DEL', () => {
    assert.equal(cleanText('a\u0000b'), 'ab');
    assert.equal(cleanText('\u0001\u0002\u0007\u0008x\u000B\u000C\u000E\u001B[31m\u001F\u007F'), 'x[31m');
  });

  test('strips C1 control characters (U+0080–U+009F)', () => {
    assert.equal(cleanText('a\u0080b\u0085c\u009Bd\u009Fe'), 'abcde');
  });

  test('keeps tabs and line breaks, normalising CRLF and CR to LF', () => {
    assert.equal(cleanText('regel 1\r\nregel 2\rregel 3\nregel\t4'), 'regel 1\nregel 2\nregel 3\nregel\t4');
  });

  test('keeps emoji, accents and other text untouched', () => {
    const text = 'Coördinator zegt: “het gaat niet goed” 😟👍🏽 👨‍👩‍👧 ½ €';
    assert.equal(cleanText(text), text);
  });
});

describe('readFields', () => {
  test('reads one string per field and a list per checkbox group, cleaned', () => {
    const form = new FormData();
    form.append('concerns', 'eenzaamheid');
    form.append('concerns', 'verslaving\u0000');
    form.append('description', 'Regel 1\r\nRegel 2\u0000');
    form.append('concernSince', 'paar_weken');
    form.append('unknownField', 'ignored');
    const raw = readFields(form, concernFields);
    assert.deepEqual(raw, {
      concerns: ['eenzaamheid', 'verslaving'],
      description: 'Regel 1\nRegel 2',
      concernSince: 'paar_weken',
      dangerToSelf: '',
      dangerToOthers: '',
      personAware: '',
      involved: [],
    });
  });

  test('a File value counts as empty, in a text field and in a checkbox group', () => {
    const form = new FormData();
    form.append('description', new File(['Hij komt al weken niet buiten'], 'brief.txt', { type: 'text/plain' }));
    form.append('concerns', new File(['x'], 'a.txt'));
    form.append('concerns', 'eenzaamheid');
    const raw = readFields(form, concernFields);
    assert.equal(raw['description'], '');
    assert.deepEqual(raw['concerns'], ['eenzaamheid']);
  });

  test('a text field posted twice: the first value is used', () => {
    const form = new FormData();
    form.append('personName', 'Jan');
    form.append('personName', 'Piet');
    assert.equal(readFields(form, personFields)['personName'], 'Jan');
  });

  test('a radio question posted with two values is no answer, and refused', () => {
    const form = new FormData();
    form.append('acuteDanger', 'nee');
    form.append('acuteDanger', 'ja');
    const result = parseStep(acuteSchema, readFields(form, acuteFields));
    assert.deepEqual(result, { ok: false, errors: { acuteDanger: 'Kies of er nu direct gevaar is voor iemand' } });
  });

  test('from a posted form to clean values', () => {
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...personAtAddress, postcode: '9351 ab' })) form.append(name, value);
    const result = parseStep(personSchema, readFields(form, personFields));
    assert.ok(result.ok);
    assert.equal(result.data.postcode, '9351AB');
  });
});

describe('fieldErrors', () => {
  test('keeps the first message per field', () => {
    const result = concernSchema.safeParse({ ...concernMinimal, description: '' });
    assert.ok(!result.success);
    assert.ok(result.error.issues.filter((i) => i.path[0] === 'description').length >= 1);
    assert.deepEqual(fieldErrors(result.error), { description: 'Beschrijf wat u heeft gezien of gehoord' });
  });
});
