import { describe, expect, it } from 'vitest';
import {
  PERSON_REFERENCE_DATE,
  fakerLocaleOf,
  personSampler,
  type Person,
  type PersonParams,
} from '../../../src/core/generators/samplers/person.ts';
import { drawCells } from './sampler-stats.ts';

const FIELDS = [
  'uuid',
  'locale',
  'first_name',
  'middle_name',
  'last_name',
  'sex',
  'age',
  'birth_date',
  'email_address',
  'phone_number',
  'street_number',
  'street_name',
  'street_address',
  'unit',
  'city',
  'state',
  'postcode',
  'zipcode',
  'country',
  'marital_status',
  'education_level',
  'bachelors_field',
  'occupation',
];

async function people(params: PersonParams, n: number): Promise<Person[]> {
  const sampler = personSampler('person', params);
  await sampler.prepare();
  return drawCells(sampler.draw, n, 'person') as Person[];
}

/** The first names faker may give that sex in that locale: its list plus the unisex (generic) one. */
async function firstNames(fakerLocale: string, sex: 'female' | 'male'): Promise<Set<string>> {
  const { faker } = (await import(`@faker-js/faker/locale/${fakerLocale}`)) as {
    faker: { rawDefinitions: { person?: { first_name?: Record<string, string[]> } } };
  };
  const lists = faker.rawDefinitions.person?.first_name ?? {};
  return new Set([...(lists[sex] ?? []), ...(lists['generic'] ?? [])]);
}

describe('person / person_from_faker sampler', () => {
  it('draws an object with every documented field, en_US by default', async () => {
    const [p] = await people({}, 1);
    expect(Object.keys(p!).sort()).toEqual([...FIELDS].sort());
    expect(p!.locale).toBe('en_US');
    expect(p!.uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(p!.birth_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(p!.zipcode).toBe(p!.postcode);
    for (const key of ['first_name', 'last_name', 'city', 'state', 'street_address', 'country'])
      expect(typeof p![key as keyof Person], key).toBe('string');
  });

  it('honours sex: every first name comes from the locale list for that sex (or its unisex list)', async () => {
    const female = await firstNames('en_US', 'female');
    const xs = await people({ sex: 'Female' }, 300);
    expect(xs.every((p) => p.sex === 'Female')).toBe(true);
    expect(xs.filter((p) => !female.has(p.first_name))).toEqual([]);
    const both = await people({}, 2000);
    const women = both.filter((p) => p.sex === 'Female').length / both.length;
    expect(women).toBeGreaterThan(0.45);
    expect(women).toBeLessThan(0.55);
  });

  it('honours age_range (inclusive) with a birth date that gives that age on the reference date', async () => {
    const xs = await people({ age_range: [30, 34] }, 2000);
    expect(new Set(xs.map((p) => p.age))).toEqual(new Set([30, 31, 32, 33, 34]));
    const ref = new Date(`${PERSON_REFERENCE_DATE}T00:00:00Z`);
    for (const p of xs.slice(0, 200)) {
      const born = new Date(`${p.birth_date}T00:00:00Z`);
      let age = ref.getUTCFullYear() - born.getUTCFullYear();
      const beforeBirthday =
        ref.getUTCMonth() < born.getUTCMonth() ||
        (ref.getUTCMonth() === born.getUTCMonth() && ref.getUTCDate() < born.getUTCDate());
      if (beforeBirthday) age--;
      expect(age, p.birth_date).toBe(p.age);
    }
  });

  it('gives no email address or phone number under 18, as Data Designer', async () => {
    const xs = await people({ age_range: [10, 25] }, 500);
    const minors = xs.filter((p) => p.age < 18);
    const adults = xs.filter((p) => p.age >= 18);
    expect(minors.length).toBeGreaterThan(0);
    expect(minors.every((p) => p.email_address === null && p.phone_number === null)).toBe(true);
    expect(
      adults.every((p) => typeof p.email_address === 'string' && p.email_address.includes('@')),
    ).toBe(true);
  });

  it("lives in the locale's country, named in its language: en_US in the United States", async () => {
    const us = await people({}, 200);
    expect(new Set(us.map((p) => p.country))).toEqual(new Set(['United States']));
    const de = await people({ locale: 'de_DE' }, 50);
    expect(new Set(de.map((p) => p.country))).toEqual(new Set(['Deutschland']));
    const gb = await people({ locale: 'en_GB' }, 50);
    expect(new Set(gb.map((p) => p.country))).toEqual(new Set(['United Kingdom']));
  });

  it('honours city, one or a list', async () => {
    expect((await people({ city: 'Springfield' }, 50)).every((p) => p.city === 'Springfield')).toBe(
      true,
    );
    const xs = await people({ city: ['Austin', 'Boston'] }, 500);
    expect(new Set(xs.map((p) => p.city))).toEqual(new Set(['Austin', 'Boston']));
  });

  it('maps Data Designer locales to faker locales and draws names of that locale', async () => {
    expect(fakerLocaleOf('en_US')).toBe('en_US');
    expect(fakerLocaleOf('de_DE')).toBe('de');
    expect(fakerLocaleOf('fr-FR')).toBe('fr');
    expect(fakerLocaleOf('pt_BR')).toBe('pt_BR');
    expect(fakerLocaleOf('xx_YY')).toBeUndefined();
    for (const [locale, fakerLocale] of [
      ['de_DE', 'de'],
      ['fr_FR', 'fr'],
      ['ja_JP', 'ja'],
    ] as const) {
      const male = await firstNames(fakerLocale, 'male');
      const xs = await people({ locale, sex: 'Male' }, 100);
      expect(xs.every((p) => p.locale === locale)).toBe(true);
      expect(
        xs.filter((p) => !male.has(p.first_name)),
        locale,
      ).toEqual([]);
    }
  });

  it('refuses a locale faker does not know, listing the known ones', () => {
    expect(() => personSampler('who', { locale: 'xx_YY' })).toThrow(
      /person sampler: params.locale expected a locale faker knows \(.*de, .*en_US.*\), found "xx_YY"/,
    );
  });

  it('draws the same person for the same cell, from the cell generator only', async () => {
    const a = await people({ locale: 'en_GB' }, 20);
    const b = await people({ locale: 'en_GB' }, 20);
    expect(a).toEqual(b);
    expect(new Set(a.map((p) => p.uuid)).size).toBe(20);
  });

  it('fails clearly when drawn before prepare()', () => {
    const sampler = personSampler('who', { locale: 'it_IT' });
    expect(() => drawCells(sampler.draw, 1)).toThrow(
      /column 'who': person sampler drew before its locale it_IT was loaded/,
    );
  });
});
