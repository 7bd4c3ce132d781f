#!/usr/bin/env node
'use strict';
// `lockreview … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
require('../out/server/src/cli/main.js')
  .main(process.argv.slice(2))
  .then((status) => { process.exitCode = status; })
  .catch((e) => {
    process.stderr.write(`lockreview: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 2;
  });
