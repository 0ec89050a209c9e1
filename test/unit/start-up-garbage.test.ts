import { RELEASE_BELOW_BYTES, releaseStartUpGarbage } from '../../src/render/startup';
import type { Collect } from '../../src/render/startup';

/** A collector that records each collection's options, and a heap of `used` bytes. */
function fake(used: number): { calls: unknown[]; collect: Collect; heap: () => { used_heap_size: number } } {
  const calls: unknown[] = [];
  return { calls, collect: (options) => void calls.push(options ?? 'ordinary'), heap: () => ({ used_heap_size: used }) };
}

describe('giving back start-up garbage before listening', () => {
  it('does nothing without --expose-gc', () => {
    expect(releaseStartUpGarbage(undefined)).toBe(false);
  });

  it("makes one last-resort collection of a heap under the limit, V8's that gives free pages back", () => {
    const { calls, collect, heap } = fake(56e6);
    expect(releaseStartUpGarbage(collect, heap)).toBe(true);
    expect(calls).toEqual([{ type: 'major', flavor: 'last-resort' }]);
  });

  it('leaves a heap over the limit alone', () => {
    const { calls, collect, heap } = fake(RELEASE_BELOW_BYTES + 1);
    expect(releaseStartUpGarbage(collect, heap)).toBe(false);
    expect(calls).toEqual([]);
  });
});
