#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../errors.js';
import { generateCommand, generateOptions } from './generate-command.js';
import { replayCommand, replayOptions } from './replay-command.js';

/**
 * creditcast's command line. Every failure is one line on stderr: bad input exits 2, a bug exits 1
 * (set CREDITCAST_DEBUG=1 for its stack).
 */
async function main(argv: string[]): Promise<void> {
  await yargs(argv)
    .scriptName('creditcast')
    .usage('$0 <command> [options]')
    .command('replay', 'replay CDRs against minute pools, rates and a credits policy', replayOptions, replayCommand)
    .command('generate', 'write a realistic, seeded Teams PSTN usage export with matching rates and scenario', generateOptions, generateCommand)
    .demandCommand(1, 'name a command: replay or generate')
    .strict()
    .fail((message, error) => {
      throw error ?? new InputError(message);
    })
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .parseAsync();
}

main(hideBin(process.argv)).catch((error: unknown) => {
  if (error instanceof InputError) {
    process.stderr.write(`creditcast: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`creditcast: internal error: ${message}\n`);
  if (process.env['CREDITCAST_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
