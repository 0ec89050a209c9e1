import { fleschKincaidGrade, measureReadability, splitSentences, syllablesOf, wordsOf } from '../../src/content/readability';

describe('wordsOf', () => {
  it.each([
    ['Use Wi-Fi, not data.', ['Use', 'Wi-Fi', 'not', 'data']],
    ["You don't need it.", ['You', "don't", 'need', 'it']],
    ['Email noreply@login.nhs.uk today', ['Email', 'noreply', 'login.nhs.uk', 'today']],
    ['– 24 hours', ['24', 'hours']],
  ])('finds the words in %j', (text, words) => expect(wordsOf(text)).toEqual(words));
});

describe('syllablesOf', () => {
  it.each([
    ['cat', 1],
    ['password', 2],
    ['security', 4],
    ['24', 1],
    ['CID3006', 1],
  ])('counts %s as %i', (word, count) => expect(syllablesOf(word)).toBe(count));
});

describe('splitSentences', () => {
  it('ends a sentence at . ! ? and at the end of each block, with the line it starts on', () => {
    const sentences = splitSentences([
      { text: 'One two. Three\nfour? Five', line: 10 },
      { text: 'a list item', line: 20 },
    ]);
    expect(sentences.map((s) => [s.text, s.line, s.words])).toEqual([
      ['One two.', 10, 2],
      ['Three four?', 10, 2],
      ['Five', 11, 1],
      ['a list item', 20, 3],
    ]);
  });
});

describe('fleschKincaidGrade', () => {
  it('is 0.39 × words per sentence + 11.8 × syllables per word − 15.59', () => {
    expect(fleschKincaidGrade(100, 10, 130)).toBeCloseTo(0.39 * 10 + 11.8 * 1.3 - 15.59, 10);
    expect(fleschKincaidGrade(0, 0, 0)).toBe(0);
  });
});

describe('measureReadability', () => {
  it('gives the reading age as grade + 5 and lists long sentences', () => {
    const long = 'This sentence has far more than twenty words in it so that the check will list it as one that is too long to read.';
    const result = measureReadability([{ text: `The cat sat on the mat. ${long}`, line: 3 }], 20);
    expect(result.sentences).toBe(2);
    expect(result.readingAge).toBeCloseTo(result.grade + 5, 1);
    expect(result.longSentences).toEqual([{ text: long, line: 3, words: 25 }]);
  });

  it('scores short words in short sentences lower than long words in long ones', () => {
    const easy = measureReadability([{ text: 'Go to the shop. Buy some milk. Come home.', line: 1 }]);
    const hard = measureReadability([
      { text: 'Authentication necessitates verification of registration information and identification documentation.', line: 1 },
    ]);
    expect(easy.readingAge).toBeLessThan(hard.readingAge);
  });

  it('is 0 for no text', () => expect(measureReadability([]).readingAge).toBe(0));
});
