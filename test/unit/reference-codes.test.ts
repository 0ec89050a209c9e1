import { codesInQuery, compareCodes, findCodes, normaliseCode } from '../../src/content/reference-codes';

describe('normaliseCode', () => {
  it.each([
    ['CID3006', 'CID3006'],
    ['cid3006', 'CID3006'],
    [' 3006 ', 'CID3006'],
    ['3006', 'CID3006'],
    ['CID20210', 'CID20210'],
    ['Cid0003', 'CID0003'],
  ])('accepts %j as %s', (input, expected) => {
    expect(normaliseCode(input)).toBe(expected);
  });

  it.each([['CID300'], ['CID300600'], ['abc'], [''], ['CID 3006'], ['3006x'], ['<script>']])('rejects %j', (input) => {
    expect(normaliseCode(input)).toBeUndefined();
  });

  it('rejects values that are not strings', () => {
    expect(normaliseCode(['CID3006'])).toBeUndefined();
    expect(normaliseCode(3006)).toBeUndefined();
    expect(normaliseCode(undefined)).toBeUndefined();
  });
});

describe('findCodes', () => {
  it('finds each code once in order and ignores near misses', () => {
    expect(findCodes('See CID3001, then CID1002 and CID3001 again; not CID12 or XCID1234 or CID123456')).toEqual(['CID3001', 'CID1002']);
  });
});

describe('compareCodes', () => {
  it('orders by number', () => {
    expect(['CID7001', 'CID20210', 'CID0003', 'CID3006'].sort(compareCodes)).toEqual(['CID0003', 'CID3006', 'CID7001', 'CID20210']);
  });
});

describe('codesInQuery', () => {
  it.each([
    ['CID3006', 'CID3006', true],
    ['cid3006', 'CID3006', true],
    ['CID 3006', 'CID3006', true],
    ['cid-3006', 'CID3006', true],
    ['cid:3006', 'CID3006', true],
    ['CID3006.', 'CID3006', true],
    ['(CID3006)', 'CID3006', true],
    ['reference CID3006', 'CID3006', true],
    ['my code is 3006', 'CID3006', false],
    ['3006', 'CID3006', false],
    ['I got error code cid 3006', 'CID3006', true],
    ['what does CID3006 mean?', 'CID3006', true],
    ['Reference: CID20210', 'CID20210', true],
  ])('reads %j as the code %s alone', (query, code, explicit) => {
    expect(codesInQuery(query)).toEqual({ codes: [{ code, explicit }], words: expect.any(String) as string, onlyCodes: true });
  });

  it('never reads a 5-digit code as the 4-digit code it starts with', () => {
    expect(codesInQuery('CID20210').codes).toEqual([{ code: 'CID20210', explicit: true }]);
    expect(codesInQuery('cid 2021').codes).toEqual([{ code: 'CID2021', explicit: true }]);
  });

  it.each([['CID300'], ['CID202101'], ['XCID1234'], ['cid3006abc'], ['1234567'], ['nhs 111'], ['password']])(
    'finds no code in %j',
    (query) => {
      expect(codesInQuery(query)).toEqual({ codes: [], words: query, onlyCodes: false });
    },
  );

  it('finds several codes once each, keeping the other words for the text search', () => {
    expect(codesInQuery('CID3006 or cid 3007, then CID3006 again: link expired')).toEqual({
      codes: [
        { code: 'CID3006', explicit: true },
        { code: 'CID3007', explicit: true },
      ],
      words: 'or , then again: link expired',
      onlyCodes: false,
    });
  });

  it('counts a code as written with CID when any of its mentions is', () => {
    expect(codesInQuery('3006 CID3006').codes).toEqual([{ code: 'CID3006', explicit: true }]);
  });

  it('treats two codes and nothing else as codes only', () => {
    expect(codesInQuery('CID3006 and CID3007').onlyCodes).toBe(true);
  });
});
