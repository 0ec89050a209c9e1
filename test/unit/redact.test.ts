import { redactPersonalData } from '../../src/insights/redact';

describe('redactPersonalData', () => {
  it.each([
    ['email me at jo.bloggs+nhs@example.co.uk please', 'email me at [email] please'],
    ['JO@EXAMPLE.COM', '[email]'],
    ['login for name@', 'login for [email]'],
    ['my mobile is 07700 900123', 'my mobile is [phone number]'],
    ['07700900123 not getting texts', '[phone number] not getting texts'],
    ['+44 7700 900123', '[phone number]'],
    ['+44 (0)7700-900-123 code', '[phone number] code'],
    ['landline 0113 496 0000', 'landline [phone number]'],
    ['nhs number 943 476 5919', 'nhs number [NHS number]'],
    ['9434765919 wrong', '[NHS number] wrong'],
    ['943-476-5919', '[NHS number]'],
    ['postcode SW1A 1AA changed', 'postcode [postcode] changed'],
    ['ls1 4ap', '[postcode]'],
    ['moved to M11AE', 'moved to [postcode]'],
    ['born 12/05/1980', 'born [number]'],
    ['born 12 05 1980', 'born [number]'],
    ['account 12345678', 'account [number]'],
  ])('redacts %j', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it.each([
    ['CID3006'],
    ['cid 3006'],
    ['my code is 3006'],
    ['reference CID20210 and cid-7001'],
    ['security code not arriving'],
    ['2 step verification'],
    ['nhs 111'],
    ['covid-19 vaccination'],
    ['a b c'],
    [''],
    ['@'],
  ])('keeps %j as it was', (input) => {
    expect(redactPersonalData(input)).toBe(input);
  });

  it('redacts several kinds in one query and keeps the words around them', () => {
    expect(redactPersonalData('I am jo@example.com, 07700 900123, NHS 943 476 5919, LS1 4AP, CID3006')).toBe(
      'I am [email], [phone number], NHS [NHS number], [postcode], CID3006',
    );
  });
});
