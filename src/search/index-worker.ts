import { parentPort } from 'node:worker_threads';
import type { FieldTexts } from './inverted-index';
import { InvertedIndex } from './inverted-index';
import { createTermProcessor } from './terms';
import type { IndexWorkerReply, IndexWorkerRequest } from './index-on-worker';

/**
 * A start-up worker (see IndexOnWorker): indexes the sections' text it is sent, in the order
 * sent, as buildSearchIndex indexes them, and once asked to finish sends back the index's state.
 */
const index = new InvertedIndex<number>(createTermProcessor({ stemming: true }), false);
const writer = index.writer();
parentPort!.on('message', (request: IndexWorkerRequest) => {
  if ('fields' in request) {
    request.fields.forEach((fields: FieldTexts) => writer.add(0, fields));
    return;
  }
  writer.close();
  const state = index.state();
  const reply: IndexWorkerReply = { state };
  parentPort!.postMessage(reply, InvertedIndex.transferList(state));
});
