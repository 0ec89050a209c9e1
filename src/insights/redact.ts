/**
 * Removes what could identify a patient from text that is kept: feedback comments and the
 * searches that found nothing. Each match becomes a placeholder in square brackets, so a reader
 * still sees that something was typed there. Reference codes (CID3006, CID10001) are kept.
 */

const RULES: { pattern: RegExp; placeholder: string }[] = [
  // Anything shaped like an address: local@domain.tld, spaces round the @ included.
  { pattern: /[^\s@<>()[\],;]+\s?@\s?[^\s@<>()[\],;]+\.[^\s@<>()[\],;]*[^\s@<>()[\],;.]/g, placeholder: '[email]' },
  // An address still being typed: a name and an @ with nothing after it yet.
  { pattern: /[^\s@<>()[\],;]+@(?=[\s,;]|$)/g, placeholder: '[email]' },
  // UK phone numbers: +44 or 0, then 9 or 10 more digits in any grouping of spaces, dashes, brackets.
  { pattern: /(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s-]?\)?[\s-]?\d){8,9}(?!\d)/g, placeholder: '[phone number]' },
  // NHS numbers: 10 digits, written 3 3 4 with spaces or dashes, or run together.
  { pattern: /(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)/g, placeholder: '[NHS number]' },
  // UK postcodes, with or without the space: SW1A 1AA, m11ae, GIR 0AA.
  {
    pattern: /(?<![A-Za-z\d])(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?\s?\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z\d])/gi,
    placeholder: '[postcode]',
  },
  // Any other run of 6 or more digits (dates of birth, account and card numbers), spaced or not.
  { pattern: /(?<!\d)\d(?:[\s./-]?\d){5,}(?!\d)/g, placeholder: '[number]' },
];

/** The text with every email address, phone number, NHS number, postcode and long digit string replaced. */
export function redactPersonalData(text: string): string {
  let result = text;
  for (const { pattern, placeholder } of RULES) result = result.replace(pattern, placeholder);
  return result;
}
