import { canonicalPath } from '../../src/middleware/requests';

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
