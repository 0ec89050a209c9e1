import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FieldTexts, IndexState } from './inverted-index';

/** The worker's compiled file, next to this one. Missing when the sources run untranspiled (the tests). */
export const INDEX_WORKER_FILE = path.join(__dirname, 'index-worker.js');

export type IndexWorkerRequest = { fields: FieldTexts[] } | { finish: true };
export type IndexWorkerReply = { state: IndexState };

/**
 * The search index's text, indexed on another thread (see buildSearchIndex's `prebuilt`): the
 * state of an index of these fields, as buildSearchIndex would index them in this order.
 */
export interface PrebuiltIndex {
  state: IndexState;
  fields: readonly FieldTexts[];
}

/**
 * Indexes sections' text on a worker thread while this thread goes on parsing: `add` sends the
 * fields of each section as they are parsed, `finish` gives the index's state once the worker
 * has indexed them all, or undefined if the worker failed, for this thread to index them itself.
 */
export class IndexOnWorker {
  private readonly worker: Worker;
  private readonly fields: FieldTexts[] = [];
  private failed = false;
  private readonly reply: Promise<IndexWorkerReply | undefined>;

  /** Undefined when there is no compiled worker to start (the sources run untranspiled). */
  static start(file = INDEX_WORKER_FILE): IndexOnWorker | undefined {
    return fs.existsSync(file) ? new IndexOnWorker(file) : undefined;
  }

  private constructor(file: string) {
    this.worker = new Worker(file);
    this.reply = new Promise((resolve) => {
      this.worker.once('message', (reply: IndexWorkerReply) => resolve(reply));
      this.worker.once('error', () => resolve(undefined));
      this.worker.once('exit', () => resolve(undefined));
    });
    void this.reply.then((reply) => {
      if (!reply) this.failed = true;
    });
  }

  /** Sends each section's heading, page title and text, in the order the index numbers them. */
  add(fields: FieldTexts[]): void {
    if (this.failed || fields.length === 0) return;
    this.fields.push(...fields);
    const request: IndexWorkerRequest = { fields };
    this.worker.postMessage(request);
  }

  /** The index of every section sent, once the worker has made it; the worker then stops. */
  async finish(): Promise<PrebuiltIndex | undefined> {
    const request: IndexWorkerRequest = { finish: true };
    if (!this.failed) this.worker.postMessage(request);
    const reply = await this.reply;
    await this.stop();
    return reply ? { state: reply.state, fields: this.fields } : undefined;
  }

  /** Stops the worker, its work unused (start-up failed). */
  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
