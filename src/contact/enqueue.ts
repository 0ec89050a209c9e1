import crypto from 'node:crypto';
import type { FormTokenUse, MessagePayload, Outbox } from './outbox';
import { DuplicateReferenceError } from './outbox';
import { newMessageReference } from './reference';

/**
 * Writes a message to the outbox and returns its id and reference once it is stored. A reference
 * already in use (about one in a billion) is replaced with a new one. With `formToken`, throws
 * FormTokenUsedError (storing nothing) if that token was used already.
 */
export async function enqueueMessage(
  outbox: Outbox,
  payload: MessagePayload,
  options: { now?: number; newReference?: () => string; formToken?: FormTokenUse } = {},
): Promise<{ id: string; reference: string }> {
  const newReference = options.newReference ?? (() => newMessageReference());
  for (let tries = 1; ; tries += 1) {
    const message = {
      id: crypto.randomUUID(),
      reference: newReference(),
      createdAt: options.now ?? Date.now(),
      payload,
      ...(options.formToken ? { formToken: options.formToken } : {}),
    };
    try {
      await outbox.add(message);
      return { id: message.id, reference: message.reference };
    } catch (error) {
      if (!(error instanceof DuplicateReferenceError) || tries >= 5) throw error;
    }
  }
}
