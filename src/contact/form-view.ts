import type { FieldError, FieldName, FormValues } from './form';
import { DESCRIPTION_MAX, FIELD_IDS, OTHER_SERVICE, PROBLEMS } from './form';
import type { Service } from './services';

/** Pure shapers from form state to nhsuk-frontend macro params. */

export interface Reference {
  code: string;
  heading?: string;
}

export interface ContactFormView {
  values: FormValues;
  ids: Record<FieldName, string>;
  errorList: { text: string; href: string }[];
  /** A problem with the service rather than a field, shown at the top of the error summary. */
  notice?: string;
  /** The message beside each field with an error, in the shape the macros take. */
  errorFor: Partial<Record<FieldName, { text: string }>>;
  /** Radios for the common services; the template adds the "Other" choice with its list. */
  serviceItems: { value: string; text: string }[];
  otherValue: string;
  otherServiceItems: { value: string; text: string }[];
  problemItems: { value: string; text: string }[];
  descriptionMax: number;
  reference?: Reference;
  csrfToken: string;
}

export const EMPTY_VALUES: FormValues = { fullName: '', email: '', service: '', otherService: '', problem: '', description: '', code: '' };

/** Every service by name, for the "Other" list, after a prompt that is not a choice. */
export function otherServiceItems(services: readonly Service[]): { value: string; text: string }[] {
  const byName = [...services].sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id));
  return [{ value: '', text: 'Choose a website or app' }, ...byName.map((service) => ({ value: service.id, text: service.name }))];
}

export function contactFormView(input: {
  values: FormValues;
  errors: FieldError[];
  notice?: string;
  services: readonly Service[];
  reference?: Reference;
  csrfToken: string;
}): ContactFormView {
  const errorFor: ContactFormView['errorFor'] = {};
  for (const error of input.errors) errorFor[error.field] ??= { text: error.text };
  return {
    values: input.values,
    ids: FIELD_IDS,
    errorList: input.errors.map(({ text, href }) => ({ text, href })),
    notice: input.notice,
    errorFor,
    serviceItems: input.services.filter((service) => service.common).map((service) => ({ value: service.id, text: service.name })),
    otherValue: OTHER_SERVICE,
    otherServiceItems: otherServiceItems(input.services),
    problemItems: PROBLEMS.map(({ value, text }) => ({ value, text })),
    descriptionMax: DESCRIPTION_MAX,
    reference: input.reference,
    csrfToken: input.csrfToken,
  };
}
