#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../kernel/errors.js';
import { ioReason } from '../edge/input-file.js';
import { shortLine } from '../kernel/quote.js';
import { fleetCommand, fleetOptions } from './fleet-command.js';
import { forecastCommand, forecastOptions } from './forecast-command.js';
import { generateCommand, generateOptions } from './generate-command.js';
import { rateCommand, rateOptions } from './rate-command.js';
import { ratesCommand, ratesOptions } from './rates-command.js';
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
    .command('rate', 'rate one call with a CGRateS tariff plan, as CGRateS does: its cost and spans', rateOptions, rateCommand)
    .command('rates', 'rate tables learned from data: `rates infer` learns the one that reproduces the charges recorded in CDRs', ratesOptions, ratesCommand)
    .command('fleet', 'many tenants across machines: enqueue a manifest, run workers, read status and results (BullMQ on Redis)', fleetOptions, fleetCommand)
    .demandCommand(1, 'name a command: replay, forecast, sweep, recommend, generate, rate, rates or fleet')
    .strict()
    .fail((message, error) => {
      throw error ?? new InputError(message);
    })
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .parseAsync();
}

/**
 * A file system error that no reader turned into a message (a file removed or made unreadable
 * while the run reads it) is about an input or output, not a bug: it names its path and reason.
 */
function fileSystemError(error: unknown): InputError | undefined {
  const failure = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof failure.code !== 'string' || typeof failure.path !== 'string') return undefined;
  return new InputError(`${failure.path}: cannot ${failure.syscall ?? 'use'} (${ioReason(error)})`);
}

main(hideBin(process.argv)).catch((caught: unknown) => {
  const error = fileSystemError(caught) ?? caught;
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
