// The baseline: a plain Express app that sends the bytes our server sent, through the
// `compression` middleware (its defaults: gzip level 6, brotli quality 4, on every response),
// and answers the code route with a bare res.redirect.
// Usage: node baseline-server.js <manifest.json> <port>
'use strict';

const fs = require('node:fs');
const express = require('express');
const compression = require('compression');

const [manifestFile, port] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));

const app = express();
app.use(compression());
for (const [route, { file, type }] of Object.entries(manifest.files)) {
  const body = fs.readFileSync(file);
  app.get(route, (_req, res) => {
    res.type(type).send(body);
  });
}
app.get('/cid/:code', (_req, res) => res.redirect(302, manifest.redirect));
const server = app.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
