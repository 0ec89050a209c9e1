// syllable 4 is the package's last CommonJS release; it ships no types.
declare module 'syllable' {
  function syllable(value: string): number;
  export = syllable;
}
