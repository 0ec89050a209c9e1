import { parseBaseUrl } from '../../src/config';
import { canonicalPath } from '../../src/http/middleware/requests';

const pages = new Set(['/', '/manage', '/manage/mobile-phone']);
const isPage = (path: string): boolean => pages.has(path);

describe('canonicalPath', () => {
  it.each([
    ['/manage/', '/manage'],
    ['/Manage/Mobile-Phone/', '/manage/mobile-phone'],
    ['/manage/index', '/manage'],
    ['/index', '/'],
    ['/cid/CID3006/', '/cid/CID3006'],
    ['//evil.example/', '/evil.example'],
    ['/\\evil.example/', '/evil.example'],
    ['/\\/evil.example/', '/evil.example'],
    ['/\\\\evil.example', '/evil.example'],
  ])('%s -> %s', (path, expected) => {
    expect(canonicalPath(path, isPage)).toBe(expected);
  });

  it.each([['/'], ['/manage'], ['/cid/CID3006'], ['/search']])('leaves %s alone', (path) => {
    expect(canonicalPath(path, isPage)).toBeUndefined();
  });
});

describe('parseBaseUrl', () => {
  it.each([
    ['https://help.example.nhs.uk', 'https://help.example.nhs.uk'],
    ['https://help.example.nhs.uk/', 'https://help.example.nhs.uk'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('accepts %s', (value, expected) => expect(parseBaseUrl(value, 3000)).toBe(expected));

  it('defaults to localhost and the port', () => expect(parseBaseUrl(undefined, 4000)).toBe('http://localhost:4000'));

  it.each([['https://help.example.nhs.uk/sub'], ['ftp://x.example'], ['not a url'], ['https://x.example/?a=1']])('rejects %s', (value) => {
    expect(() => parseBaseUrl(value, 3000)).toThrow(/BASE_URL/);
  });
});
