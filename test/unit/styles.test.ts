import { removeIeOnlyMedia, removeNonStandardDeclarations } from '../../src/render/styles';

describe('the compiled stylesheet', () => {
  it("drops nhsuk-frontend's IE-only @media screen\\0 blocks, nested rules and all", () => {
    const css = 'a{b:c}@media screen\uFFFD{.x{y:z}.p{q:r}}d{e:f}@media screen\uFFFD and (min-width: 1px){.x{y:z}}g{h:i}';
    expect(removeIeOnlyMedia(css)).toBe('a{b:c}d{e:f}g{h:i}');
  });

  it('fails loudly on any other replacement character', () => {
    expect(() => removeIeOnlyMedia('a{content:"\uFFFD"}')).toThrow(/U\+FFFD/);
  });

  it("drops the header logo's height: intrinsic", () => {
    expect(removeNonStandardDeclarations('.l{min-width:1rem;height:intrinsic}.m{height:intrinsic;x:y}')).toBe('.l{min-width:1rem}.m{x:y}');
  });
});
