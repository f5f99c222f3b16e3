// userData that reaches the corners key-value stores get wrong (issue 23): every JSON kind gws-facts names for
// userData ("strings and numbers; null and nested objects occur"), text beyond ASCII (accents, CJK, characters
// outside the BMP, right-to-left scripts, escapes, the empty string), long values, many keys in one request and
// keys that differ only in small ways. Keys that JavaScript servers must refuse as prototype pollution
// (__proto__, constructor, prototype) and the keys the suite and the workbin write are left out.
import fc from "fast-check";

/** Text that stores, encoders and parsers get wrong, each a value a client may well send. */
export const CORNER_TEXT = [
  "",
  " ",
  "café crème",
  "Ünïcödé Ñandú",
  "日本語のテキスト",
  "한국어",
  "emoji 😀 and clef 𝄞 outside the BMP",
  "שלום עולם",
  "مرحبا بالعالم",
  'a "quoted" \\ backslash / slash',
  "line\nbreak\ttab\rreturn",
  "nul \u0000 inside",
  "separators \u2028 \u2029",
  "zero\u200bwidth",
  "e\u0301 combining",
  "null",
  "0",
  "true",
  "<b>html</b> &amp;",
  "  padded  ",
];

/** Keys that differ only in small ways: case, a trailing space, an accent, a separator. */
export const NEAR_KEYS = ["Key", "key", "KEY", "Key ", "Kéy", "Key.1", "Key/1", "Key-1", "Key_1", "Ключ", "键"];

const RESERVED = new Set(["__proto__", "constructor", "prototype", "ConformanceCheck", "Workbin"]);

export const userDataKey: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NEAR_KEYS) },
    { weight: 1, arbitrary: fc.constantFrom(...CORNER_TEXT.filter((s) => s.length > 0)) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 }) },
  )
  .filter((k) => !RESERVED.has(k));

// Values do not shrink (a dictionary still shrinks to the keys that matter): each shrink attempt replays a whole
// sequence against the target, and a long string would take hundreds.
const text: fc.Arbitrary<string> = fc.noShrink(
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...CORNER_TEXT) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 500, maxLength: 3000 }) },
  ),
);

const number: fc.Arbitrary<number> = fc.noShrink(
  fc.oneof(
    fc.integer(),
    fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).filter((d) => !Object.is(d, -0)),
    fc.constantFrom(0.1, 1.5, -2.75, 1e-7, 123456.789),
  ),
);

/** A userData value of a kind gws-facts names: a string, a number, null or a nested object of those. */
export const userDataValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; nested: Record<string, unknown> }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 4, arbitrary: text },
      { weight: 3, arbitrary: number },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: tie("nested") },
    ),
    nested: fc.dictionary(userDataKey, tie("value"), { maxKeys: 4, noNullPrototype: true }),
  }),
).value;

/** Requests stay far below any body limit a server may set (AMB-BODY-LIMIT asserts none; bad-input probes 1 MB). */
export const MAX_USERDATA_BYTES = 16 * 1024;

/** One request's userData: one to three keys, or 21 to 30, so a store that keeps only 20 is caught. */
export const userData: fc.Arbitrary<Record<string, unknown>> = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc.dictionary(userDataKey, userDataValue, { minKeys: 1, maxKeys: 3, noNullPrototype: true }),
    },
    {
      weight: 1,
      arbitrary: fc.dictionary(userDataKey, userDataValue, { minKeys: 21, maxKeys: 30, noNullPrototype: true }),
    },
  )
  .filter((d) => Buffer.byteLength(JSON.stringify(d)) <= MAX_USERDATA_BYTES);
