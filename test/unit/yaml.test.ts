import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { parseYaml, simpleMapping } from '../../src/content/yaml';
import { pick as pickWith, random } from '../helpers/random';

/** What js-yaml makes of the text, or the error it throws. */
const jsYaml = (text: string): { value?: unknown; error?: true } => {
  try {
    return { value: yaml.load(text) };
  } catch {
    return { error: true };
  }
};

const VALUES = [
  'Mobile phone number',
  'What’s an ODS code',
  "What's new",
  'Café – more',
  'a  b',
  'Why?',
  'a [b] {c}, d',
  'x & y * z ! | > % @ `',
  'CID3006',
  'hub-1',
  'layouts/article.njk',
  'true',
  'True',
  'FALSE',
  'null',
  'Null',
  '~',
  'yes',
  'No',
  'on',
  'y',
  '0',
  '7',
  '42',
  '007',
  '-3',
  '1.5',
  '1e3',
  '.inf',
  '.NaN',
  'Infinity',
  'NaN',
  '0x1F',
  '0o17',
  '1_000',
  '2024-01-31',
  '2026-11-25',
  '2026-13-45',
  '0000-00-00',
  '2024-1-31',
  'Say "hi"',
  "GP surgery's system",
  '2024-01-31T10:00:00Z',
  '12345678901234567890',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  '#a',
  'x ',
  ' x',
  '',
  '"quoted"',
  "'single'",
  '[a, b]',
  '{a: b}',
  '- item',
  '&anchor',
  '*alias',
  '!tag x',
  '|',
  '>',
  'a\tb',
  'a\u00a0b',
  'a\u00a0',
  'a\u0085b',
  'a\u2028b',
  'a\ufeffb',
  'a😀b',
  'a\rb',
  'a\\nb',
];
const KEYS = [
  'title',
  'subtitle',
  'position',
  'hub',
  'type',
  'layout',
  'x',
  'true',
  'null',
  'a_b',
  'Title',
  '__proto__',
  'two words',
  '1',
  'k-k',
  ' title',
  'title ',
];

describe('simple YAML mappings, read without js-yaml', () => {
  it('are front matter of key: value lines, read as js-yaml reads them', () => {
    const text =
      '\ntype: article\ntitle: Mobile phone number\nsubtitle: How to change it – and what to do if you cannot.\nhub: manage\nposition: 3\n';
    expect(simpleMapping(text)).toEqual({
      type: 'article',
      title: 'Mobile phone number',
      subtitle: 'How to change it – and what to do if you cannot.',
      hub: 'manage',
      position: 3,
    });
    expect(simpleMapping(text)).toEqual(yaml.load(text));
  });

  it('give, for 20,000 random texts of such lines, what js-yaml gives, or leave the text to it', () => {
    const next = random(20261201);
    const pick = <T>(list: readonly T[]): T => pickWith(next, list);
    let read = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const lines = Array.from({ length: 1 + Math.floor(next() * 5) }, () => {
        const roll = next();
        if (roll < 0.05) return '';
        if (roll < 0.08) return `${pick(KEYS)}:${pick(VALUES)}`;
        if (roll < 0.1) return `  ${pick(KEYS)}: ${pick(VALUES)}`;
        if (roll < 0.12) return `# ${pick(VALUES)}`;
        return `${pick(KEYS)}: ${pick(VALUES)}`;
      });
      const text = (next() < 0.5 ? '\n' : '') + lines.join('\n') + (next() < 0.5 ? '\n' : '');
      const simple = simpleMapping(text);
      if (simple === undefined) continue;
      read += 1;
      expect([text, { value: simple }]).toEqual([text, jsYaml(text)]);
      expect(parseYaml(text, 1)).toEqual({ value: simple });
    }
    // Most texts have some line only js-yaml can read; enough of them do not.
    expect(read).toBeGreaterThan(500);
  });

  it.each(['', '\n\n', 'title: a\ntitle: b', 'title:', 'title: a\n  - b', 'a: b\r\n', 'list:\n  - a'])('leave %j to js-yaml', (text) => {
    expect(simpleMapping(text)).toBeUndefined();
  });

  it('read the front matter of every article of the site as js-yaml does', () => {
    const content = path.join(__dirname, '..', '..', 'content');
    const files = fs.readdirSync(content, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.md'));
    let read = 0;
    for (const name of files) {
      const text = fs.readFileSync(path.join(content, name), 'utf8');
      if (!text.startsWith('---')) continue;
      const frontMatter = text.slice(3, text.indexOf('\n---', 3));
      const simple = simpleMapping(frontMatter);
      if (simple === undefined) continue;
      read += 1;
      expect([name, simple]).toEqual([name, yaml.load(frontMatter)]);
    }
    expect(read).toBeGreaterThan(0);
  });
});
