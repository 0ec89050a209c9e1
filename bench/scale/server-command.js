// The server as `npm start` runs it: node with the flags package.json's start script gives, then
// dist/cli/server.js. Benchmarks start it the same way, so they measure what production runs.
'use strict';

const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const START = /^node((?: --[\w-]+(?:=\S+)?)*) dist\/cli\/server\.js$/;

/** Node's flags, then the server script's absolute path: the arguments for process.execPath. */
function serverArgs() {
  const start = require(path.join(ROOT, 'package.json')).scripts.start;
  const match = START.exec(start);
  if (!match) throw new Error(`package.json's start script is not "node [--flags] dist/cli/server.js": ${start}`);
  return [...match[1].split(' ').filter(Boolean), path.join(ROOT, 'dist', 'cli', 'server.js')];
}

module.exports = { serverArgs };
