import fc from 'fast-check';
import type { z } from 'zod';

interface CheckDef {
  readonly check: string;
  readonly value?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

interface SchemaDef {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Readonly<Record<string, string>>;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

function checksOf(def: SchemaDef): CheckDef[] {
  return (def.checks ?? []).map((check) => check._zod.def);
}

/**
 * Strings near every rule the contract's string schemas hold: identifiers, MSP IDs, codes, dates, instants, IANA
 * time zones.
 */
const STRINGS = [
  'c-1',
  'li-1',
  'r.1_x',
  '.',
  '..',
  '...',
  'a b',
  'AdvertiserMSP',
  'PublisherMSP',
  'EUR',
  'eur',
  '2026-03-01',
  '2026-03-31',
  '2026-02-30',
  '2026-3-1',
  '2026-03-01T00:00:00Z',
  '2026-03-01T01:00:00Z',
  '2026-03-02T00:00:00Z',
  '2026-03-01T00:00:00.000Z',
  '2026-03-01T24:00:00Z',
  'a'.repeat(64),
  'f'.repeat(64),
  'F'.repeat(64),
  'THIRD_PARTY',
  'FIRST_PARTY',
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Mars/Olympus_Mons',
];

/** Mostly a candidate the schema accepts, sometimes one it refuses: the schema itself sorts the candidates. */
function leafArbitrary(schema: z.ZodType, candidates: readonly unknown[]): fc.Arbitrary<unknown> {
  const valid = candidates.filter((c) => schema.safeParse(c).success);
  const invalid = candidates.filter((c) => !schema.safeParse(c).success);
  if (valid.length === 0 || invalid.length === 0) return fc.constantFrom(...candidates);
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) },
  );
}

function stringCandidates(def: SchemaDef): unknown[] {
  const lengths = checksOf(def).flatMap((c) =>
    c.check === 'min_length' && c.minimum !== undefined
      ? [c.minimum - 1, c.minimum]
      : c.check === 'max_length' && c.maximum !== undefined
        ? [c.maximum, c.maximum + 1]
        : [],
  );
  return [...STRINGS, ...lengths.filter((n) => n >= 0).map((n) => 'x'.repeat(n)), 7, null, true];
}

function numberCandidates(def: SchemaDef): unknown[] {
  const bounds = checksOf(def).flatMap((c) =>
    (c.check === 'greater_than' || c.check === 'less_than') && c.value !== undefined
      ? [c.value - 1, c.value, c.value + 1]
      : [],
  );
  return [0, 1, 2, 10, 50, 1000, 5000, ...bounds.filter((n) => Math.abs(n) < 2 ** 54), 1.5, -1, '3', null, 2 ** 53];
}

function arrayArbitrary(def: SchemaDef): fc.Arbitrary<unknown> {
  const checks = checksOf(def);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const max = checks.find((c) => c.check === 'max_length')?.maximum;
  const element = schemaArbitrary(def.element!);
  const near = fc.oneof(
    { weight: 30, arbitrary: fc.integer({ min, max: min + 2 }) },
    { weight: min > 0 ? 1 : 0, arbitrary: fc.constant(min - 1) },
  );
  const length =
    max === undefined
      ? near
      : fc.oneof({ weight: 30, arbitrary: near }, { weight: 1, arbitrary: fc.constantFrom(max, max + 1) });
  return length.chain((n) => fc.array(element, { minLength: n, maxLength: n }));
}

function objectArbitrary(def: SchemaDef): fc.Arbitrary<unknown> {
  const entries = Object.entries(def.shape ?? {}).map(([key, field]) => {
    const optional = ['optional', 'default'].includes(defOf(field).type);
    const presence = fc.oneof(
      { weight: optional ? 1 : 30, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    );
    return fc.tuple(fc.constant(key), presence, schemaArbitrary(field));
  });
  const extra = fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  return fc.tuple(fc.tuple(...entries), extra).map(([fields, withExtra]) => {
    const value: Record<string, unknown> = {};
    for (const [key, present, fieldValue] of fields) if (present) value[key] = fieldValue;
    if (withExtra) value.unexpected = 1;
    return value;
  });
}

/**
 * Values near the rules of a zod schema of the contract: mostly valid-looking, often one step past a limit, a
 * pattern, an enum or a required field, sometimes of the wrong type. Refinements are not read: the small pools make
 * cross-field cases (end before start, viewable above impressions) frequent anyway.
 */
export function schemaArbitrary(schema: z.ZodType, leaf: z.ZodType = schema): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return leafArbitrary(leaf, stringCandidates(def));
    case 'number':
      return leafArbitrary(leaf, numberCandidates(def));
    case 'boolean':
      return leafArbitrary(leaf, [true, false, 'true']);
    case 'enum':
      return leafArbitrary(leaf, [...Object.values(def.entries ?? {}), 'NOT_A_VALUE']);
    case 'array':
      return arrayArbitrary(def);
    case 'object':
      return objectArbitrary(def);
    case 'optional':
    case 'default':
    case 'nullable':
      return schemaArbitrary(def.innerType!, leaf);
    case 'pipe':
      return schemaArbitrary(def.in!, leaf);
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => schemaArbitrary(option)));
    default:
      throw new Error(`no generator for zod type ${def.type}`);
  }
}
