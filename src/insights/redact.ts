/**
 * Removes what could identify a person from a search query before it is counted: email
 * addresses, phone numbers, NHS numbers, postcodes and any other long run of digits (a date of
 * birth typed as 12 05 1980, an account number). Each becomes a placeholder in square brackets,
 * so the content team still sees the shape of the query. Reference codes (4 or 5 digits, with or
 * without CID) are kept: they are what the content team needs to see.
 */

/** Anything around an @, up to a space or punctuation that cannot be in an address. */
const EMAIL = /[^\s@,;<>()]*@(?:[^\s@,;<>()]*[^\s@,;<>().])?/g;

/**
 * A run of digits that may be written in groups: `07700 900123`, `+44 (0)7700-900-123`,
 * `943 476 5919`, `12/05/1980`. At most two separators between digits, so two numbers in a
 * sentence stay apart. It must not follow a letter or digit, so `CID3006` is not a run.
 */
const DIGIT_RUN = /(?<![\p{L}\p{N}])\+?\d(?:[\s().\-/]{1,2}\d|\d)*/gu;

/** UK postcodes, with or without the space: `SW1A 1AA`, `ls1 4ap`, `M11AE`. */
const POSTCODE = /(?<![\p{L}\p{N}])[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}(?![\p{L}\p{N}])/giu;

const LONG_DIGITS = 6;

function describeDigits(run: string): string {
  const digits = run.replace(/\D/g, '');
  if (digits.length < LONG_DIGITS) return run;
  const phoneLike =
    run.startsWith('+') ||
    (digits.startsWith('0') && digits.length >= 10 && digits.length <= 11) ||
    (digits.startsWith('44') && digits.length === 12);
  if (phoneLike) return '[phone number]';
  if (digits.length === 10) return '[NHS number]';
  return '[number]';
}

/** The query with personal data replaced by placeholders; everything else unchanged. */
export function redactPersonalData(text: string): string {
  return text
    .replace(EMAIL, (match) => (match.length > 1 ? '[email]' : match))
    .replace(DIGIT_RUN, describeDigits)
    .replace(POSTCODE, '[postcode]');
}
