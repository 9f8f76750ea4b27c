/**
 * The odd values the API fuzzer substitutes into requests: each one is something a careless or hostile client has
 * sent to some API. Kept in one place so the generator and the report name them the same way.
 */

/** Strings that have broken parsers, validators, keys and logs elsewhere. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  'a'.repeat(300),
  'a'.repeat(10_000),
  '\u0000',
  'nul\u0000byte',
  '../../etc/passwd',
  '..',
  '.',
  '%00',
  '%2e%2e%2f',
  '\u202eevil',
  '😀'.repeat(64),
  '\ud800',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '__proto__',
  'constructor',
  '{"$gt":""}',
  '=HYPERLINK("http://x")',
  'NaN',
  'Infinity',
  '1e309',
  '-0',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31T23:59:59Z',
  'line\nbreak',
  '\t',
  'Ω≈ç√∫',
];

/** Numbers at and past the boundaries of integer minor units, counts and sizes. */
export const ODD_NUMBERS: readonly number[] = [
  -1,
  0,
  1.5,
  -0.5,
  2 ** 31,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1e-300,
];

/** JSON values of every other type, to replace a field or a whole body with. */
export const ODD_JSON_VALUES: readonly unknown[] = [null, true, false, [], {}, [1, 2, 3], { a: 1 }, 'x', 0, [[[[]]]]];

/** Bodies that are not (or not only) JSON. */
export const MALFORMED_BODIES: readonly string[] = [
  '{',
  '{"a":',
  '[1,2',
  'nul',
  '{"a":1}}',
  '\u0000',
  "{'single':'quotes'}",
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `"${'a'.repeat(1_100_000)}"`,
  '{"a":1,"a":2}',
  '',
  '   ',
  'true',
  '42',
];

/** Content types a JSON API should refuse (or treat strictly). */
export const ODD_CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/xml',
  'application/jsonx',
  'application/merge-patch+json',
  '*/*',
  'application/json, text/plain',
];

/** Methods the API does not define on any path, plus the defined ones on paths that lack them. */
export const ODD_METHODS: readonly string[] = ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'FOO'];

/** Consistency tokens (`X-Min-Block`) that are not block numbers. */
export const ODD_BLOCK_TOKENS: readonly string[] = ['abc', '-1', '1.5', '0x10', '18446744073709551616', ' ', '1 2', ''];

/** Idempotency keys past the documented length, empty, or with bytes a header should not carry. */
export const ODD_IDEMPOTENCY_KEYS: readonly string[] = ['', 'k'.repeat(256), 'k'.repeat(4096), 'cl\u00e9', '../x'];

/** Authorization headers that name no valid key. */
export const ODD_AUTHORIZATIONS: readonly string[] = [
  'Bearer ',
  'Bearer x',
  'Bearer ' + 'x'.repeat(5000),
  'Basic YWRtaW46YWRtaW4=',
  'bearer',
  'Token abc',
];
