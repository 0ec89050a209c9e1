import { compareCodes, findCodes, normaliseCode } from '../../src/content/reference-codes';

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
