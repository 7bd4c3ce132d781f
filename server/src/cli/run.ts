// The lockreview command as a process: bin/lockreview.js (built with tsc) and the extension's
// bundled server (dist/lockreview.js) both start here.
import { main } from './main';

// `lockreview … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
main(process.argv.slice(2))
  .then((status) => { process.exitCode = status; })
  .catch((e: unknown) => {
    process.stderr.write(`lockreview: internal error: ${e instanceof Error && e.stack ? e.stack : String(e)}\n`);
    process.exitCode = 2;
  });
