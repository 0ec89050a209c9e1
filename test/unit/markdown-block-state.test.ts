import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { fasterBlockState, plainInline } from '../../src/content/markdown';
import { random, randomText } from '../helpers/random';

const md = new MarkdownIt();
const Faster = fasterBlockState(md.block.State);
const marks = (state: MarkdownIt.StateBlock): unknown => ({
  src: state.src,
  bMarks: state.bMarks,
  eMarks: state.eMarks,
  tShift: state.tShift,
  sCount: state.sCount,
  bsCount: state.bsCount,
  lineMax: state.lineMax,
  line: state.line,
  blkIndent: state.blkIndent,
  parentType: state.parentType,
});
const same = (src: string): void => {
  const env = {};
  const faster = new Faster(src, md, env, []);
  expect(faster).toBeInstanceOf(md.block.State);
  expect(faster.env).toBe(env);
  expect(marks(faster)).toEqual(marks(new md.block.State(src, md, env, [])));
};

describe("the faster block state's line marks", () => {
  it.each([
    '',
    'a',
    '\n',
    '\n\n',
    '   ',
    '  \t',
    'a\n   ',
    'a\n   \n',
    '\ta\n  \tb\n   \t\tc',
    '# Heading\n\nText\n    code\n> quote\n',
    'line\r\nwith carriage returns\r\n',
  ])('are markdown-it’s own for %j', (src) => same(src));

  it('are markdown-it’s own for 5,000 random sources of spaces, tabs, line breaks and text', () => {
    const next = random(20261201);
    const alphabet = [' ', ' ', '\t', '\n', '\n', 'a', '#', '>', '-', '\r'];
    for (let i = 0; i < 5000; i += 1) same(randomText(next, alphabet, 40));
  });

  it('are markdown-it’s own for the seed article', () => {
    same(fs.readFileSync(path.join(__dirname, '..', '..', 'content', 'manage', 'mobile-phone.md'), 'utf8'));
  });

  it('give markdown-it’s tokens for the seed article', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'content', 'manage', 'mobile-phone.md'), 'utf8');
    const faster = new MarkdownIt();
    faster.block.State = fasterBlockState(faster.block.State);
    expect(faster.parse(source, {})).toEqual(new MarkdownIt().parse(source, {}));
  });
});

describe('plain inline text', () => {
  const plain = new MarkdownIt({ html: true });
  plainInline(plain);
  const same = (src: string): void => expect([src, plain.parse(src, {})]).toEqual([src, new MarkdownIt({ html: true }).parse(src, {})]);

  it.each([
    'Plain words.',
    'Words, then more words; then a question?',
    '## A heading',
    '- one\n- two',
    '1. first\n2. second',
    '> quoted',
    'Tabs\tinside',
    '',
    ' ',
  ])('gives markdown-it’s tokens for %j', (src) => same(src));

  it('gives markdown-it’s tokens for 5,000 random sources of prose, markup and line breaks', () => {
    const next = random(314159);
    const pieces = [
      'word',
      'Word',
      ' ',
      ' ',
      '.',
      ',',
      '?',
      "'",
      '’',
      '–',
      '\t',
      '\n',
      '\n\n',
      '- ',
      '## ',
      '*',
      '_',
      '`',
      '[a](b)',
      '&amp;',
      '<b>',
      '\\',
      ':',
      '~',
      '!',
      '#',
      '1. ',
      '> ',
      '    ',
    ];
    for (let i = 0; i < 5000; i += 1) same(randomText(next, pieces, 16));
  });
});
