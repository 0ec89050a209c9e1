import {
  DESCRIPTION_MAX,
  isHoneypotFilled,
  isValidEmail,
  normaliseNewlines,
  readFormValues,
  validateContact,
} from '../../src/contact/form';
import { contactFormView, otherServiceItems } from '../../src/contact/form-view';
import type { Service } from '../../src/contact/services';

const services: Service[] = [
  { id: 'nhs-app', name: 'NHS App', common: true },
  { id: 'airmid', name: 'Airmid', common: false },
  { id: 'zeta', name: 'Zeta app', common: false },
];

const valid = {
  fullName: 'Sam Patient',
  email: 'sam@example.com',
  service: 'nhs-app',
  otherService: '',
  problem: 'logging-in',
  description: 'Help',
  code: '',
};

describe('isValidEmail', () => {
  it.each([['sam@example.com'], ['sam.patient+nhs@example.co.uk'], ["o'neill@example.org"], ['SAM@EXAMPLE.COM'], ['a@b-c.xn--p1ai']])(
    'accepts %s',
    (email) => expect(isValidEmail(email)).toBe(true),
  );

  it.each([
    [''],
    ['sam'],
    ['sam@'],
    ['@example.com'],
    ['sam@example'],
    ['sam@example.c'],
    ['sam@example.123'],
    ['sam@@example.com'],
    ['sam patient@example.com'],
    ['sam@exa mple.com'],
    ['.sam@example.com'],
    ['sam.@example.com'],
    ['sam..patient@example.com'],
    ['sam@-example.com'],
    ['sam@example-.com'],
    ['sam@example..com'],
    ['sam@[127.0.0.1]'],
    ['"sam"@example.com'],
    [`${'a'.repeat(65)}@example.com`],
    [`sam@${'a'.repeat(250)}.com`],
  ])('rejects %j', (email) => expect(isValidEmail(email)).toBe(false));
});

describe('readFormValues', () => {
  it('trims, collapses spaces in names, drops control characters and counts CRLF as one character', () => {
    const values = readFormValues({
      fullName: '  Sam \t  Patient ',
      email: ' sam@example.com ',
      description: ' a\r\nb\u0000\u0007 ',
      code: ' 3006 ',
    });
    expect(values).toEqual({
      fullName: 'Sam Patient',
      email: 'sam@example.com',
      service: '',
      otherService: '',
      problem: '',
      description: 'a\nb',
      code: '3006',
    });
  });

  it.each([[undefined], [null], ['text'], [{ fullName: ['a', 'b'] }], [{ fullName: { x: 1 } }]])(
    'turns anything but text into empty: %j',
    (body) => {
      expect(readFormValues(body).fullName).toBe('');
    },
  );

  it('normalises every kind of line ending', () => {
    expect(normaliseNewlines('a\r\nb\rc\nd')).toBe('a\nb\nc\nd');
  });
});

describe('isHoneypotFilled', () => {
  it.each([
    [{}, false],
    [{ website: '' }, false],
    [{ website: 'x' }, true],
    [{ website: ['x'] }, true],
    [undefined, false],
  ])('%j -> %s', (body, filled) => expect(isHoneypotFilled(body)).toBe(filled));
});

describe('validateContact', () => {
  it('returns the details of a valid message', () => {
    expect(validateContact(valid, services)).toEqual({
      errors: [],
      details: {
        fullName: 'Sam Patient',
        email: 'sam@example.com',
        service: { id: 'nhs-app', name: 'NHS App' },
        problem: { value: 'logging-in', text: 'Logging in' },
        description: 'Help',
      },
    });
  });

  it('takes any service from the "Other" list, and ignores the list when a radio is chosen', () => {
    expect(validateContact({ ...valid, service: 'other', otherService: 'airmid' }, services).details?.service).toEqual({
      id: 'airmid',
      name: 'Airmid',
    });
    expect(validateContact({ ...valid, service: 'other', otherService: 'nhs-app' }, services).details?.service.id).toBe('nhs-app');
    expect(validateContact({ ...valid, service: 'nhs-app', otherService: 'airmid' }, services).details?.service.id).toBe('nhs-app');
  });

  it('returns every error in the order of the form', () => {
    const { details, errors } = validateContact(
      { ...valid, fullName: '', email: 'x', service: '', problem: '', description: '' },
      services,
    );
    expect(details).toBeUndefined();
    expect(errors.map((e) => e.field)).toEqual(['fullName', 'email', 'service', 'problem', 'description']);
    expect(errors.map((e) => e.href)).toEqual(['#full-name', '#email', '#service', '#problem', '#description']);
  });

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(validateContact({ ...valid, description: '😀'.repeat(DESCRIPTION_MAX) }, services).errors).toEqual([]);
    expect(validateContact({ ...valid, description: '😀'.repeat(DESCRIPTION_MAX + 1) }, services).errors).toHaveLength(1);
  });
});

describe('contactFormView', () => {
  it('offers the common services as radios and every service by name in the list', () => {
    const view = contactFormView({ values: valid, errors: [], services, csrfToken: 't' });
    expect(view.serviceItems).toEqual([{ value: 'nhs-app', text: 'NHS App' }]);
    expect(otherServiceItems(services).map((item) => item.value)).toEqual(['', 'airmid', 'nhs-app', 'zeta']);
  });

  it('puts the first error for each field beside it', () => {
    const errors = [
      { field: 'email' as const, href: '#email', text: 'first' },
      { field: 'email' as const, href: '#email', text: 'second' },
    ];
    const view = contactFormView({ values: valid, errors, services, csrfToken: 't' });
    expect(view.errorFor).toEqual({ email: { text: 'first' } });
    expect(view.errorList).toEqual([
      { href: '#email', text: 'first' },
      { href: '#email', text: 'second' },
    ]);
  });
});
