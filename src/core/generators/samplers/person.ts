/**
 * `person` and `person_from_faker {locale, sex, city, age_range}` (SPEC 1): a
 * synthetic person drawn with @faker-js/faker, as Data Designer's faker-based
 * people generator does (tabsynth has no managed persona datasets, so `person`
 * draws the same way). The value is one flat object, every key always present:
 *
 *   uuid, locale, first_name, middle_name (null), last_name, sex, age,
 *   birth_date (ISO date), email_address, phone_number (both null under 18, as
 *   Data Designer), street_number, street_name, street_address, unit (''),
 *   city, state, postcode, zipcode (= postcode), country, marital_status,
 *   education_level, bachelors_field, occupation
 *
 * A field the locale has no data for is null. `birth_date` is drawn within the
 * year before the person's `age`-th birthday counted back from PERSON_REFERENCE_DATE,
 * a fixed date rather than today so that a run stays reproducible.
 *
 * Determinism and speed: faker draws through a Randomizer that reads the cell's
 * Rng (SPEC 2), one Faker per locale. Re-seeding faker's own Mersenne Twister per
 * cell (`faker.seed`) was measured at ~60 µs a cell, about four times the cost of
 * the whole person; reading the cell's Rng costs nothing extra.
 *
 * Locales load lazily (faker-locales.ts): `prepare()` imports the one this
 * sampler needs; Data Designer's names (en_US, de_DE, fr_FR, ...) map to faker's
 * (en_US, de, fr, ...) by exact name, then by language.
 */
import type { Faker, FakerOptions, Randomizer } from '@faker-js/faker';
import { ErrorCodes, TabsynthError } from '../../errors.ts';
import type { Rng } from '../../random/seed.ts';
import { civil, daysFromCivil } from './calendar.ts';
import { invalidParam } from './errors.ts';
import { FAKER_LOCALES } from './faker-locales.ts';
import type { PreparedSampler } from './types.ts';
import { uuidSampler } from './uuid.ts';

export interface PersonParams {
  /** Data Designer's locale name, e.g. en_US, de_DE, ja_JP. Default: 'en_US'. */
  locale?: string;
  /** Only people of this sex. Default: null (each with probability 1/2). */
  sex?: 'Male' | 'Female' | null;
  /** Only people from this city, or one of these cities (uniformly). Default: null (faker's). */
  city?: string | readonly string[] | null;
  /** [min, max] age, both inclusive. Default: [18, 114]. */
  age_range?: readonly [number, number] | readonly number[];
}

/** The object a person cell holds. */
export interface Person {
  uuid: string;
  locale: string;
  first_name: string;
  middle_name: null;
  last_name: string;
  sex: 'Male' | 'Female';
  age: number;
  birth_date: string;
  email_address: string | null;
  phone_number: string | null;
  street_number: string | null;
  street_name: string | null;
  street_address: string | null;
  unit: string;
  city: string | null;
  state: string | null;
  postcode: string | null;
  zipcode: string | null;
  country: string | null;
  marital_status: string;
  education_level: string;
  bachelors_field: string;
  occupation: string | null;
}

/** Ages and birth dates count back from this day (fixed, for reproducible runs). */
export const PERSON_REFERENCE_DATE = '2025-01-01';
const REF = { year: 2025, month: 1, day: 1 };

const MARITAL_STATUS = ['married_present', 'divorced', 'never_married', 'separated', 'widowed'];
const EDUCATION_LEVEL = [
  'secondary_education',
  'some_college',
  'bachelors',
  'associates',
  'graduate',
  'doctorate',
];
const COLLEGE_LEVEL = new Set(['bachelors', 'graduate', 'doctorate']);
const BACHELORS_FIELD = ['stem', 'business', 'education', 'arts_humanities', 'stem_related'];

/** The faker locale for a Data Designer locale name, or undefined when faker has none. */
export function fakerLocaleOf(locale: string): string | undefined {
  const name = locale.replace('-', '_');
  if (Object.hasOwn(FAKER_LOCALES, name)) return name;
  const language = name.split('_')[0]!.toLowerCase();
  return Object.hasOwn(FAKER_LOCALES, language) ? language : undefined;
}

const fakers = new Map<string, Promise<{ faker: Faker; use(rng: Rng): void }>>();

/** One Faker per faker locale, drawing from whichever cell Rng `use` last set. */
function loadFaker(fakerLocale: string): Promise<{ faker: Faker; use(rng: Rng): void }> {
  let loaded = fakers.get(fakerLocale);
  if (!loaded) {
    loaded = FAKER_LOCALES[fakerLocale]!().then((module) => {
      let current: Rng | undefined;
      const randomizer: Randomizer = {
        next: () => current!.next(),
        seed: () => undefined,
      };
      // The locale module exports a ready instance; its class builds ours without
      // importing faker's index (which would pull in every locale).
      const FakerClass = module.faker.constructor as new (options: FakerOptions) => Faker;
      const faker = new FakerClass({ locale: module.faker.rawDefinitions, randomizer });
      return { faker, use: (rng: Rng) => void (current = rng) };
    });
    fakers.set(fakerLocale, loaded);
  }
  return loaded;
}

/** `person` / `person_from_faker`: see the file header. Call `prepare()` before drawing. */
export function personSampler(column: string, params: PersonParams): PreparedSampler {
  const locale = params.locale ?? 'en_US';
  const fakerLocale = fakerLocaleOf(locale);
  if (!fakerLocale)
    throw invalidParam(
      'person',
      'locale',
      `a locale faker knows (${Object.keys(FAKER_LOCALES).join(', ')})`,
      locale,
    );
  const [minAge, maxAge] = params.age_range ?? [18, 114];
  if (!Number.isInteger(minAge) || !Number.isInteger(maxAge) || minAge! < 0 || maxAge! < minAge!)
    throw invalidParam(
      'person',
      'age_range',
      '[min, max] integers, 0 <= min <= max',
      params.age_range,
    );
  const ageSpan = maxAge! - minAge! + 1;
  const cities =
    params.city == null ? null : typeof params.city === 'string' ? [params.city] : params.city;
  if (cities && cities.length === 0)
    throw invalidParam('person', 'city', 'a city or a non-empty list of cities', params.city);
  const fixedSex = params.sex ?? null;
  const uuid = uuidSampler({});

  let faker: Faker | undefined;
  let use: ((rng: Rng) => void) | undefined;
  let country: string | undefined;

  return {
    prepare: async () => {
      if (faker) return;
      ({ faker, use } = await loadFaker(fakerLocale));
      const metadata = faker.rawDefinitions.metadata as { country?: string } | undefined;
      country = localeCountry(locale, metadata?.country);
    },
    draw: (rng) => {
      if (!faker || !use)
        throw new TabsynthError(
          ErrorCodes.GENERATOR_FAILED,
          `column '${column}': person sampler drew before its locale ${locale} was loaded (prepare() not awaited)`,
          { column },
        );
      use(rng);
      const f = faker;
      const sex = fixedSex ?? (rng.next() < 0.5 ? 'Male' : 'Female');
      const fakerSex = sex === 'Male' ? 'male' : 'female';
      const age = minAge! + rng.int(ageSpan);
      const first = f.person.firstName(fakerSex);
      const last = f.person.lastName(fakerSex);
      const streetNumber = attempt(() => f.location.buildingNumber());
      const streetName = attempt(() => f.location.street());
      const postcode = attempt(() => f.location.zipCode());
      const education = EDUCATION_LEVEL[rng.int(EDUCATION_LEVEL.length)]!;
      const adult = age >= 18;
      const person: Person = {
        uuid: formatUuid(uuid(rng, {}) as string),
        locale,
        first_name: first,
        middle_name: null,
        last_name: last,
        sex,
        age,
        birth_date: birthDate(rng, age),
        email_address: adult
          ? attempt(() => f.internet.email({ firstName: first, lastName: last }))
          : null,
        phone_number: adult ? attempt(() => f.phone.number()) : null,
        street_number: streetNumber,
        street_name: streetName,
        street_address:
          streetNumber !== null && streetName !== null
            ? `${streetNumber} ${streetName}`
            : streetName,
        unit: '',
        city: cities ? cities[rng.int(cities.length)]! : attempt(() => f.location.city()),
        state: attempt(() => f.location.state()),
        postcode,
        zipcode: postcode,
        country: country ?? attempt(() => f.location.country()),
        marital_status: MARITAL_STATUS[rng.int(MARITAL_STATUS.length)]!,
        education_level: education,
        bachelors_field: COLLEGE_LEVEL.has(education)
          ? BACHELORS_FIELD[rng.int(BACHELORS_FIELD.length)]!
          : 'no_degree',
        occupation: attempt(() => f.person.jobTitle()),
      };
      return person;
    },
  };
}

/** A day in (reference - (age + 1) years, reference - age years], as an ISO date. */
function birthDate(rng: Rng, age: number): string {
  const latest = daysFromCivil(REF.year - age, REF.month, REF.day);
  const earliest = daysFromCivil(REF.year - age - 1, REF.month, REF.day);
  const days = earliest + 1 + rng.int(latest - earliest);
  const { year, month, day } = civil(days);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The country a locale's people live in, named in the locale's language ("United
 * States" for en_US, "Deutschland" for de_DE), from the locale name's region or
 * faker's metadata; undefined for a locale with no region (`en`, `ar`).
 */
function localeCountry(locale: string, fakerRegion: string | undefined): string | undefined {
  const [language, region] = locale.split(/[_-]/);
  const code = region && /^[A-Z]{2}$/.test(region) ? region : fakerRegion;
  if (!code || !language) return undefined;
  try {
    return new Intl.DisplayNames([language, 'en'], { type: 'region' }).of(code);
  } catch {
    return undefined;
  }
}

/** Faker throws when a locale lacks the data (Data Designer's try_fake_else_none). */
function attempt(fn: () => string): string | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function formatUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
