import type { ContactFormView, Reference } from '../../contact/form-view';
import { EMPTY_VALUES, contactFormView } from '../../contact/form-view';
import type { Service } from '../../contact/services';
import { escapeAsViews as e } from '../escape';
import type { Shell, ShellRecipe } from '../shell';
import { cutShell, fillShell, placeholder } from '../shell';

export const CONTACT_VIEW = 'pages/contact.njk';

const CONTACT_PAGE = {
  pageTitle: 'Contact NHS login support',
  description: 'Send a message to the NHS login support team about a problem with NHS login.',
};

/** Locals for the whole contact page (pages/contact.njk), rendered in one go. */
export function contactPageLocals(form: ContactFormView): Record<string, unknown> {
  const hasError = form.errorList.length > 0 || form.notice !== undefined;
  return { ...CONTACT_PAGE, titlePrefix: hasError ? 'Error: ' : undefined, form };
}

/**
 * The form as first shown, with no errors and nothing typed, is made from a shell: rendered once
 * per site, return link and variant, then filled in per request with its token and reference.
 * The variant is what the reference shows, since the view shows a heading only when there is one.
 */
export type ContactShellVariant = 'plain' | 'code' | 'code-and-heading';

type ContactPart = 'csrfToken' | 'code' | 'heading';
export type ContactShell = Shell<ContactPart>;

export function contactShellVariant(reference: Reference | undefined): ContactShellVariant {
  if (!reference) return 'plain';
  return reference.heading ? 'code-and-heading' : 'code';
}

/** The parts each variant's shell has holes for: the view shows the code twice (its text and a hidden field). */
const HOLES: Record<ContactShellVariant, ContactPart[]> = {
  plain: ['csrfToken'],
  code: ['csrfToken', 'code', 'code'],
  'code-and-heading': ['csrfToken', 'code', 'code', 'heading'],
};

export function contactShellLocals(services: readonly Service[], variant: ContactShellVariant): Record<string, unknown> {
  const code = variant === 'plain' ? '' : placeholder('code');
  const reference = code ? { code, heading: variant === 'code-and-heading' ? placeholder('heading') : undefined } : undefined;
  const form = contactFormView({ values: { ...EMPTY_VALUES, code }, errors: [], services, reference, csrfToken: placeholder('csrfToken') });
  return contactPageLocals(form);
}

export function cutContactShell(html: string, variant: ContactShellVariant): ContactShell {
  return cutShell(CONTACT_VIEW, html, HOLES[variant]);
}

/** The contact form's shells, for a form offering these services. */
export function contactShells(services: readonly Service[]): ShellRecipe<ContactShellVariant, ContactShell> {
  return { view: CONTACT_VIEW, locals: (variant) => contactShellLocals(services, variant), cut: cutContactShell };
}

/** The whole form page: the shell with this request's token and reference, escaped as the view would. */
export function fillContactShell(shell: ContactShell, reference: Reference | undefined, csrfToken: string): string {
  return fillShell(shell, { csrfToken: e(csrfToken), code: e(reference?.code ?? ''), heading: e(reference?.heading ?? '') });
}
