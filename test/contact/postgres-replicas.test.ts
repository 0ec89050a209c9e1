import pino from 'pino';
import type { Outbox } from '../../src/contact/outbox';
import { openPostgresOutbox } from '../../src/contact/postgres-outbox';
import type { Sender } from '../../src/contact/sender';
import { createSender, senderOptions } from '../../src/contact/sender';
import { createZendesk } from '../../src/contact/zendesk';
import type { ContactTestApp } from './helpers/contact-app';
import { contactApp, newForm, openForm, postForm, validFields } from './helpers/contact-app';
import { countClaims } from './helpers/counting-outbox';
import { FakeTicketServer } from './helpers/fake-ticket-server';
import type { TestDatabase } from './helpers/postgres';
import { createTestDatabase, describePostgres } from './helpers/postgres';
import { waitFor } from './helpers/wait';

/** Two replicas of the site sharing one PostgreSQL outbox and one ticket system. */

jest.setTimeout(120_000);

const MESSAGES = 200;

interface Replica {
  name: string;
  site: ContactTestApp;
  outbox: Outbox;
  sender: Sender;
  /** How many rounds its sender has finished. */
  rounds: () => number;
}

describePostgres('two replicas on one PostgreSQL outbox', () => {
  let db: TestDatabase;
  let tickets: FakeTicketServer;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    tickets = await new FakeTicketServer().start();
    // A little latency, as a real ticket system has, so both replicas are busy at the same time.
    tickets.defaultAnswer = { status: 201, delayMs: 3 };
    replicas = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const outbox = await openPostgresOutbox(db.url);
        const counted = countClaims(outbox);
        const zendesk = createZendesk({ url: tickets.url, email: `replica-${name}@example.com`, apiToken: 'token', timeoutMs: 5000 });
        const sender = createSender({
          outbox: counted.outbox,
          tickets: zendesk,
          logger: pino({ level: 'silent' }),
          options: senderOptions({ pollMs: 20, baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 20 }, 5000, 30),
        });
        return { name, outbox, sender, rounds: counted.rounds, site: contactApp({ outbox }) };
      }),
    );
  });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.sender.stop();
      await replica.outbox.close();
    }
    await tickets?.stop();
    await db?.drop();
  });

  it(`delivers each of ${MESSAGES} messages posted to either replica exactly once`, async () => {
    // Half the messages through each replica's form, as a load balancer would share them.
    const sessions = await Promise.all(replicas.map((replica) => openForm(replica.site.app)));
    for (let i = 0; i < MESSAGES; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, j) => {
          const index = (i + j) % 2;
          const { app } = replicas[index]!.site;
          return postForm(app, await newForm(app, sessions[index]!), validFields({ description: `Message ${i + j}` })).expect(303);
        }),
      );
    }
    const stored = await replicas[0]!.outbox.list();
    expect(stored).toHaveLength(MESSAGES);
    expect(stored.every((m) => m.status === 'queued')).toBe(true);

    // Both senders start together and compete for the same rows.
    for (const replica of replicas) replica.sender.start();
    await waitFor(`${MESSAGES} tickets`, () => tickets.tickets.size === MESSAGES, 90_000, 50);
    await waitFor(
      'every message marked sent',
      async () => (await replicas[1]!.outbox.list()).every((m) => m.status === 'sent'),
      30_000,
      50,
    );
    // Let both look for work several more times: nothing more may be sent.
    const roundsSoFar = replicas.map((replica) => replica.rounds());
    await waitFor('both senders to finish 10 more rounds', () => replicas.every((replica, i) => replica.rounds() >= roundsSoFar[i]! + 10));

    const perId = tickets.creationsById();
    expect(perId.size).toBe(MESSAGES);
    expect([...perId.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(stored.map((m) => m.id))).toEqual(new Set(perId.keys()));
    const byReplica = new Map<string, number>();
    for (const request of tickets.creations) byReplica.set(request.authorization!, (byReplica.get(request.authorization!) ?? 0) + 1);
    expect(byReplica.size).toBe(2);
    expect([...byReplica.values()].reduce((a, b) => a + b, 0)).toBe(MESSAGES);
    expect(Math.min(...byReplica.values())).toBeGreaterThan(0);
  });
});
