import nunjucks from 'nunjucks';
import path from 'node:path';
import { createViews } from '../../src/render/views';

const views = createViews(path.join(__dirname, '..', '..', 'views'));
const render = (template: string, context: Record<string, unknown> = {}): string => views.renderString(template, context);

describe('the trim filter', () => {
  it.each([
    ['  a b  ', 'a b'],
    ['\n\t a \n', 'a'],
    ['\u00a0x\u2003', 'x'],
    ['', ''],
    ['   ', ''],
  ])('trims %j to %j, as the built-in does', (input, expected) => {
    expect(render('{{ value | trim }}', { value: input })).toBe(expected);
    expect(new nunjucks.Environment().renderString('{{ value | trim }}', { value: input })).toBe(expected);
  });

  it('keeps a safe string safe and escapes a plain one', () => {
    expect(render('{{ value | safe | trim }}', { value: '  <b>x</b>  ' })).toBe('<b>x</b>');
    expect(render('{{ value | trim }}', { value: '  <b>x</b>  ' })).toBe('&lt;b&gt;x&lt;/b&gt;');
  });

  it('trims long runs of spaces on both sides', () => {
    const padded = `${' '.repeat(10_000)}x${' '.repeat(10_000)}`;
    expect(render('{{ value | safe | trim }}', { value: padded })).toBe('x');
  });
});
