import { redactPersonalData } from '../../src/insights/redact';

describe('redactPersonalData', () => {
  it.each([
    ['my email is jo.bloggs+nhs@example.co.uk', 'my email is [email]'],
    ['jo @ example.com', '[email]'],
    ['call 07700 900123', 'call [phone number]'],
    ['call 07700900123', 'call [phone number]'],
    ['call +44 7700 900123', 'call [phone number]'],
    ['call +44 (0)20 7946 0958', 'call [phone number]'],
    ['call (020) 7946 0958 today', 'call [phone number] today'],
    ['nhs number 943 476 5919', 'nhs number [NHS number]'],
    ['nhs number 9434765919', 'nhs number [NHS number]'],
    ['nhs number 943-476-5919', 'nhs number [NHS number]'],
    ['I live at SW1A 1AA', 'I live at [postcode]'],
    ['postcode m11ae', 'postcode [postcode]'],
    ['LS1 4AP and B33 8TH', '[postcode] and [postcode]'],
    ['born 01/02/1980', 'born [number]'],
    ['card 4111 1111 1111 1111', 'card [number]'],
    ['account 12345678', 'account [number]'],
  ])('removes personal data from %j', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it.each([
    ['CID3006'],
    ['reference CID10001 again'],
    ['cid 3006'],
    ['I waited 20 minutes for the code'],
    ['sign in on my iPhone 15'],
    ['password reset in 2024'],
    ['what is nhs login'],
  ])('keeps %j as it is', (input) => {
    expect(redactPersonalData(input)).toBe(input);
  });
});
