import type { Service } from './services';
import { plainText } from './text';

/** The contact form's fields, their rules and messages. Pure: strings in, a message or errors out. */

export const DESCRIPTION_MAX = 1500;
export const NAME_MAX = 200;
export const EMAIL_MAX = 254;
export const OTHER_SERVICE = 'other';

/** What the problem is: a stable value carried in the ticket, and the text patients see. */
export const PROBLEMS: readonly { value: string; text: string }[] = [
  { value: 'logging-in', text: 'Logging in' },
  { value: 'creating-account', text: 'Setting up an NHS login' },
  { value: 'security-codes', text: 'Security codes or emails from NHS login' },
  { value: 'proving-identity', text: 'Proving who I am' },
  { value: 'changing-details', text: 'Changing my email address, phone number or password' },
  { value: 'connecting-service', text: 'Using NHS login with a website or app' },
  { value: 'something-else', text: 'Something else' },
];

export type FieldName = 'fullName' | 'email' | 'service' | 'otherService' | 'problem' | 'description';

/** What the patient typed, trimmed, exactly as it will be shown back to them. */
export interface FormValues {
  fullName: string;
  email: string;
  service: string;
  otherService: string;
  problem: string;
  description: string;
  /** A reference code the form carries, e.g. CID3006, or empty. */
  code: string;
}

export interface FieldError {
  field: FieldName;
  /** The id of the element the error summary links to. */
  href: string;
  text: string;
}

/** A valid message, ready for the outbox. */
export interface ContactDetails {
  fullName: string;
  email: string;
  service: { id: string; name: string };
  problem: { value: string; text: string };
  description: string;
}

/** Element ids, so that the error summary and the macros agree. */
export const FIELD_IDS: Record<FieldName, string> = {
  fullName: 'full-name',
  email: 'email',
  service: 'service',
  otherService: 'other-service',
  problem: 'problem',
  description: 'description',
};

/**
 * A single form value as text, without control or direction-override characters (see
 * plainText); anything else (missing, repeated, nested) becomes empty.
 */
function textOf(value: unknown): string {
  return typeof value === 'string' ? plainText(value, { lines: true }) : '';
}

/** Line endings as browsers count them in the character count: CRLF is one character. */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Reads the posted body into form values, whatever shape it has. */
export function readFormValues(body: unknown): FormValues {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return {
    fullName: textOf(fields.fullName).replace(/\s+/g, ' ').trim(),
    email: textOf(fields.email).trim(),
    service: textOf(fields.service).trim(),
    otherService: textOf(fields.otherService).trim(),
    problem: textOf(fields.problem).trim(),
    description: normaliseNewlines(textOf(fields.description)).trim(),
    code: textOf(fields.code).trim(),
  };
}

/** True when the honeypot field, hidden from people, has been filled in. */
export function isHoneypotFilled(body: unknown): boolean {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return fields.website !== undefined && fields.website !== '';
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL = /^([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** An address mail can be delivered to: local@domain.tld, no spaces, no IP literals, a real top-level domain. */
export function isValidEmail(email: string): boolean {
  if (email.length > EMAIL_MAX) return false;
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  return (
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL.test(labels[labels.length - 1]!)
  );
}

function errorFor(field: FieldName, text: string): FieldError {
  return { field, href: `#${FIELD_IDS[field]}`, text };
}

/** The service chosen: a common one by its radio, or any one from the "Other" list. */
function chosenService(values: FormValues, services: readonly Service[]): Service | undefined {
  const id = values.service === OTHER_SERVICE ? values.otherService : values.service;
  const service = services.find((candidate) => candidate.id === id);
  if (!service) return undefined;
  return values.service === OTHER_SERVICE || service.common ? service : undefined;
}

/**
 * Checks every field and returns every error at once, in the order the fields appear,
 * or the details of a valid message. The same rules apply with and without JavaScript.
 */
export function validateContact(values: FormValues, services: readonly Service[]): { details?: ContactDetails; errors: FieldError[] } {
  const errors: FieldError[] = [];

  if (values.fullName === '') errors.push(errorFor('fullName', 'Enter your full name'));
  else if (values.fullName.length > NAME_MAX) errors.push(errorFor('fullName', `Full name must be ${NAME_MAX} characters or fewer`));

  if (values.email === '') errors.push(errorFor('email', 'Enter your email address'));
  else if (!isValidEmail(values.email)) {
    errors.push(errorFor('email', 'Enter an email address in the correct format, like name@example.com'));
  }

  const service = chosenService(values, services);
  if (values.service === OTHER_SERVICE && !service) {
    errors.push(errorFor('otherService', 'Select the website or app you were using from the list'));
  } else if (!service) {
    errors.push(errorFor('service', 'Select the website or app you were using'));
  }

  const problem = PROBLEMS.find((candidate) => candidate.value === values.problem);
  if (!problem) errors.push(errorFor('problem', 'Select what the problem is'));

  if (values.description === '') errors.push(errorFor('description', 'Enter a description of the problem'));
  else if ([...values.description].length > DESCRIPTION_MAX) {
    errors.push(errorFor('description', 'Description must be 1,500 characters or fewer'));
  }

  if (errors.length > 0 || !service || !problem) return { errors };
  return {
    errors,
    details: {
      fullName: values.fullName,
      email: values.email,
      service: { id: service.id, name: service.name },
      problem: { ...problem },
      description: values.description,
    },
  };
}
