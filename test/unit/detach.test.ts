import { ownCopy } from '../../src/content/detach';

describe('ownCopy', () => {
  it.each([
    ['short', 'abc'],
    ['ASCII', 'How to change your mobile phone number'],
    ['Latin-1', 'Café crème – naïve façade, déjà vu'],
    ['beyond Latin-1', 'Don’t worry — “quoted” text… ✓'],
    ['astral', 'Emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters'],
    ['long', 'long text, again and again. '.repeat(10_000)],
    ['longer still', '“wide” text… '.repeat(40_000)],
  ])('gives the same text for %s text', (_kind, text) => {
    expect(ownCopy(text)).toBe(text);
  });

  it('gives each text back whole after a longer one', () => {
    const texts = ['x'.repeat(300_000), 'a short one, but not too short', 'é'.repeat(20), 'b'.repeat(70_000)];
    expect(texts.map(ownCopy)).toEqual(texts);
  });
});
