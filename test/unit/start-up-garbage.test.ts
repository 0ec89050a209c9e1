import { RELEASE_BELOW_BYTES, releaseStartUpGarbage } from '../../src/render/startup';
import type { Collect } from '../../src/render/startup';

/** A heap whose total falls to `after` at the first collection; records each collection's options. */
function fakeHeap(
  used: number,
  total: number,
  after: number,
): { calls: unknown[]; collect: Collect; heap: () => { used_heap_size: number; total_heap_size: number } } {
  const calls: unknown[] = [];
  let current = total;
  return {
    calls,
    collect: (options) => {
      calls.push(options ?? 'ordinary');
      current = after;
    },
    heap: () => ({ used_heap_size: used, total_heap_size: current }),
  };
}

describe('giving back start-up garbage before listening', () => {
  it('does nothing without --expose-gc', () => {
    expect(releaseStartUpGarbage(undefined)).toBe(false);
  });

  it('makes one last-resort collection when that gives the free pages back', () => {
    const { calls, collect, heap } = fakeHeap(56e6, 65e6, 34e6);
    expect(releaseStartUpGarbage(collect, heap)).toBe(true);
    expect(calls).toEqual([{ type: 'major', flavor: 'last-resort' }]);
  });

  it('makes two ordinary ones more where the heap did not shrink (a V8 without that flavour)', () => {
    const { calls, collect, heap } = fakeHeap(56e6, 65e6, 64e6);
    expect(releaseStartUpGarbage(collect, heap)).toBe(true);
    expect(calls).toEqual([{ type: 'major', flavor: 'last-resort' }, 'ordinary', 'ordinary']);
  });

  it('leaves a heap over the limit alone', () => {
    const { calls, collect, heap } = fakeHeap(RELEASE_BELOW_BYTES + 1, RELEASE_BELOW_BYTES * 2, 1);
    expect(releaseStartUpGarbage(collect, heap)).toBe(false);
    expect(calls).toEqual([]);
  });
});
