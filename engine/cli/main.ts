#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../kernel/errors.js';
import { shortLine } from '../kernel/quote.js';
import { forecastCommand, forecastOptions } from './forecast-command.js';
import { generateCommand, generateOptions } from './generate-command.js';
import { recommendCommand, recommendOptions } from './recommend-command.js';
import { replayCommand, replayOptions } from './replay-command.js';
import { sweepCommand, sweepOptions } from './sweep-command.js';

/**
 * creditcast's command line. Every failure is one line on stderr: bad input exits 2, a bug exits 1
 * (set CREDITCAST_DEBUG=1 for its stack). Every message passes through `say`, because many quote an
 * input: its control characters are shown escaped and a long one is cut.
 */
async function main(argv: string[]): Promise<void> {
  await yargs(argv)
    .scriptName('creditcast')
    .usage('$0 <command> [options]')
    .command('replay', 'replay CDRs against minute pools, rates and a credits policy', replayOptions, replayCommand)
    .command('generate', 'write a realistic, seeded Teams PSTN usage export with matching rates and scenario', generateOptions, generateCommand)
    .command('forecast', 'the scenario over future traffic made from history (bootstrap trials, repeat or history): monthly P5/P50/P95, pools, first drop', forecastOptions, forecastCommand)
    .command('sweep', 'compare recharge triggers, amounts and modes over the trials: drops, purchases, forfeits, money tied up', sweepOptions, sweepCommand)
    .command('recommend', 'the smallest initial funding with no drop at a confidence, and the recharge setting that ties up least money', recommendOptions, recommendCommand)
    .demandCommand(1, 'name a command: replay, forecast, sweep, recommend or generate')
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
    say(error.message);
    process.exitCode = 2;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  say(`internal error: ${message}`);
  if (process.env['CREDITCAST_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});

function say(message: string): void {
  process.stderr.write(`creditcast: ${shortLine(message)}\n`);
}
