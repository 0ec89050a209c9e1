import type { Outbox } from '../../../src/contact/outbox';

/**
 * The outbox with a count of finished `claim` calls: a sender's rounds. Lets a test wait for a
 * sender to have looked for work again, rather than sleeping and hoping it did.
 */
export function countClaims(outbox: Outbox): { outbox: Outbox; rounds: () => number } {
  let rounds = 0;
  const counted: Outbox = {
    ...outbox,
    claim: async (...args) => {
      const claimed = await outbox.claim(...args);
      rounds += 1;
      return claimed;
    },
  };
  return { outbox: counted, rounds: () => rounds };
}
