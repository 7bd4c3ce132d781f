#!/usr/bin/env node
'use strict';
require('../out/server/src/cli/main.js')
  .main(process.argv.slice(2))
  .then((status) => { process.exitCode = status; })
  .catch((e) => {
    process.stderr.write(`lockreview: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 2;
  });
