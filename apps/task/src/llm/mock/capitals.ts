import { shorten } from '@shannon/contracts';

interface Country {
  /** How the country reads mid-sentence, article included ("the Netherlands"). */
  name: string;
  capital: string;
  /** Lower-case spellings a user may type (without a leading "the"). */
  aliases: string[];
}

const COUNTRIES: Country[] = [
  { name: 'Argentina', capital: 'Buenos Aires', aliases: ['argentina'] },
  { name: 'Australia', capital: 'Canberra', aliases: ['australia'] },
  { name: 'Austria', capital: 'Vienna', aliases: ['austria'] },
  { name: 'Belgium', capital: 'Brussels', aliases: ['belgium'] },
  { name: 'Brazil', capital: 'Brasília', aliases: ['brazil', 'brasil'] },
  { name: 'Canada', capital: 'Ottawa', aliases: ['canada'] },
  { name: 'Chile', capital: 'Santiago', aliases: ['chile'] },
  {
    name: 'China',
    capital: 'Beijing',
    aliases: ['china', "people's republic of china", 'prc'],
  },
  { name: 'Colombia', capital: 'Bogotá', aliases: ['colombia'] },
  {
    name: 'the Czech Republic',
    capital: 'Prague',
    aliases: ['czech republic', 'czechia'],
  },
  { name: 'Denmark', capital: 'Copenhagen', aliases: ['denmark'] },
  { name: 'Egypt', capital: 'Cairo', aliases: ['egypt'] },
  { name: 'England', capital: 'London', aliases: ['england'] },
  { name: 'Ethiopia', capital: 'Addis Ababa', aliases: ['ethiopia'] },
  { name: 'Finland', capital: 'Helsinki', aliases: ['finland'] },
  { name: 'France', capital: 'Paris', aliases: ['france'] },
  { name: 'Germany', capital: 'Berlin', aliases: ['germany'] },
  { name: 'Greece', capital: 'Athens', aliases: ['greece'] },
  { name: 'Hungary', capital: 'Budapest', aliases: ['hungary'] },
  { name: 'India', capital: 'New Delhi', aliases: ['india'] },
  { name: 'Indonesia', capital: 'Jakarta', aliases: ['indonesia'] },
  { name: 'Iran', capital: 'Tehran', aliases: ['iran'] },
  { name: 'Ireland', capital: 'Dublin', aliases: ['ireland'] },
  { name: 'Italy', capital: 'Rome', aliases: ['italy'] },
  { name: 'Japan', capital: 'Tokyo', aliases: ['japan'] },
  { name: 'Kenya', capital: 'Nairobi', aliases: ['kenya'] },
  { name: 'Mexico', capital: 'Mexico City', aliases: ['mexico'] },
  { name: 'Morocco', capital: 'Rabat', aliases: ['morocco'] },
  {
    name: 'the Netherlands',
    capital: 'Amsterdam',
    aliases: ['netherlands', 'holland'],
  },
  { name: 'New Zealand', capital: 'Wellington', aliases: ['new zealand'] },
  { name: 'Nigeria', capital: 'Abuja', aliases: ['nigeria'] },
  { name: 'Norway', capital: 'Oslo', aliases: ['norway'] },
  { name: 'Pakistan', capital: 'Islamabad', aliases: ['pakistan'] },
  { name: 'Peru', capital: 'Lima', aliases: ['peru'] },
  { name: 'the Philippines', capital: 'Manila', aliases: ['philippines'] },
  { name: 'Poland', capital: 'Warsaw', aliases: ['poland'] },
  { name: 'Portugal', capital: 'Lisbon', aliases: ['portugal'] },
  {
    name: 'Russia',
    capital: 'Moscow',
    aliases: ['russia', 'russian federation'],
  },
  { name: 'Saudi Arabia', capital: 'Riyadh', aliases: ['saudi arabia'] },
  { name: 'South Africa', capital: 'Pretoria', aliases: ['south africa'] },
  {
    name: 'South Korea',
    capital: 'Seoul',
    aliases: ['south korea', 'korea', 'republic of korea'],
  },
  { name: 'Spain', capital: 'Madrid', aliases: ['spain'] },
  { name: 'Sweden', capital: 'Stockholm', aliases: ['sweden'] },
  { name: 'Switzerland', capital: 'Bern', aliases: ['switzerland'] },
  { name: 'Thailand', capital: 'Bangkok', aliases: ['thailand'] },
  {
    name: 'Turkey',
    capital: 'Ankara',
    aliases: ['turkey', 'türkiye', 'turkiye'],
  },
  { name: 'Ukraine', capital: 'Kyiv', aliases: ['ukraine'] },
  {
    name: 'the United Kingdom',
    capital: 'London',
    aliases: [
      'united kingdom',
      'uk',
      'u.k',
      'u.k.',
      'great britain',
      'britain',
    ],
  },
  {
    name: 'the United States',
    capital: 'Washington, D.C.',
    aliases: [
      'united states',
      'united states of america',
      'usa',
      'u.s.a',
      'u.s.a.',
      'us',
      'u.s',
      'u.s.',
      'america',
    ],
  },
  { name: 'Vietnam', capital: 'Hanoi', aliases: ['vietnam', 'viet nam'] },
];

const BY_ALIAS = new Map<string, Country>(
  COUNTRIES.flatMap((country) =>
    country.aliases.map((alias) => [alias, country] as const),
  ),
);

/** Longest aliases first, so "south korea" wins over "korea" when matching a prefix. */
const ALIASES_LONGEST_FIRST = [...BY_ALIAS.keys()].sort(
  (a, b) => b.length - a.length,
);

/** An unknown country is named back, cut to this many characters. */
const MAX_SHOWN_COUNTRY_CHARS = 60;

/** "capital (city) of <country>" up to the end of the clause. */
const CAPITAL_QUESTION =
  /\bcapital(?:\s+city)?\s+of\s+(.+?)\s*(?:[?!,;]|\.(?:\s|$)|$)/i;

function normalise(country: string): string {
  return country
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^the\s+/, '')
    .replace(/\s+(?:please|thanks|thank\s+you)$/, '');
}

function titleCase(text: string): string {
  return text
    .split(' ')
    .map((word) =>
      word.length === 0 ? word : word[0].toUpperCase() + word.slice(1),
    )
    .join(' ');
}

function findCountry(key: string): Country | undefined {
  const exact = BY_ALIAS.get(key);
  if (exact) {
    return exact;
  }
  // Tolerate trailing words: "france please", "japan these days".
  const prefix = ALIASES_LONGEST_FIRST.find(
    (alias) => key.startsWith(alias) && /^\W/.test(key.slice(alias.length)),
  );
  return prefix === undefined ? undefined : BY_ALIAS.get(prefix);
}

/** The capital sentence for a "capital of X" query, or undefined when the query asks no such thing. */
export function answerCapitalQuestion(query: string): string | undefined {
  const match = CAPITAL_QUESTION.exec(query);
  if (!match) {
    return undefined;
  }
  const key = normalise(match[1]);
  if (key.length === 0) {
    return undefined;
  }
  const country = findCountry(key);
  if (country) {
    const end = country.capital.endsWith('.') ? '' : '.';
    return `The capital of ${country.name} is ${country.capital}${end}`;
  }
  const shown = titleCase(shorten(key, MAX_SHOWN_COUNTRY_CHARS));
  return `The built-in mock model does not know the capital of ${shown}.`;
}
