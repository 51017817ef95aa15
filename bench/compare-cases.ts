/**
 * The command lines compare-builds.ts gives both builds: every command and every output of each, on
 * the bundled sample, the test fixtures (every input format and reject reason) and a generated
 * tenant. Output files are named relative to the run's own folder, so both builds get the same
 * arguments byte for byte; inputs are absolute paths, the same for both.
 */

export interface CompareCase {
  /** What the line of the report says, e.g. "sample: replay --json". */
  name: string;
  args: string[];
  /** The exit code the old build must give, or the case proves nothing (default 0). */
  expectedExit?: number;
  /** Error cases: their one-line message on stderr is an answer too. */
  compareStderr?: boolean;
}

export interface Tenant {
  label: string;
  cdrs: string[];
  scenario: string;
  workers: number;
  /** Bootstrap trials of forecast, recommend and sweep. */
  trials: number;
  /** Recharge grid of the sweep: --trigger, --amount, --mode, --delay and their values. */
  sweepGrid: string[];
  /** A --headcount change naming a capability and country the tenant has. */
  headcount: string;
}

const SEED = ['--seed', '7'];

function tenantCase(tenant: Tenant, command: string[]): CompareCase {
  const inputs = ['--cdrs', ...tenant.cdrs, '--scenario', tenant.scenario, '--workers', String(tenant.workers)];
  return { name: `${tenant.label}: ${command.join(' ')}`, args: [...command, ...inputs] };
}

const BAD_INPUT = { expectedExit: 2, compareStderr: true };

/** Replay through both of its paths: streamed month by month, and after the ingest (an explain file). */
export function replayCases(tenant: Tenant): CompareCase[] {
  return [
    ['replay'],
    ['replay', '--json'],
    ['replay', '--json', '--events', 'events.csv', '--rejects', 'rejects.csv'],
    ['replay', '--explain', 'explain.csv', '--events', 'events.csv', '--rejects', 'rejects.csv'],
  ].map((command) => tenantCase(tenant, command));
}

/** Forecast, recommend and sweep, text and JSON, over each traffic model. */
export function lookAheadCases(tenant: Tenant): CompareCase[] {
  const trials = ['--trials', String(tenant.trials), ...SEED];
  return [
    ['forecast', ...trials],
    ['forecast', '--json', ...trials],
    ['forecast', '--json', '--model', 'repeat', '--horizon', '6'],
    ['forecast', '--model', 'history'],
    ['forecast', '--json', ...trials, '--growth', '0.02', '--headcount', tenant.headcount],
    ['recommend', '--json', ...trials],
    ['recommend', ...trials, '--confidence', '0.9', '--step', '5'],
    ['sweep', '--json', '--csv', 'cells.csv', ...trials, ...tenant.sweepGrid],
    ['sweep', '--model', 'repeat', ...tenant.sweepGrid],
  ].map((command) => tenantCase(tenant, command));
}

/** Rejected rows that stop the run: exit 2 and the line that names the first one. */
export function rejectLimitCases(tenant: Tenant): CompareCase[] {
  return [
    ['replay', '--strict'],
    ['replay', '--max-rejects', '3', '--rejects', 'rejects.csv'],
  ].map((command) => ({ ...tenantCase(tenant, command), ...BAD_INPUT }));
}

/** Bad input on the sample: each must fail the same way, with the same one line. */
export function badInputCases(sample: Tenant): CompareCase[] {
  const broken = { ...sample, cdrs: [`${sample.cdrs[0]}.missing`] };
  return [
    { ...tenantCase(broken, ['replay']), name: 'bad input: replay of a missing CDR file', ...BAD_INPUT },
    { ...tenantCase(sample, ['forecast', '--trials', '0']), name: 'bad input: forecast --trials 0', ...BAD_INPUT },
    { ...tenantCase(sample, ['sweep', '--trigger', '1.001', '--amount', '50']), name: 'bad input: sweep --trigger 1.001', ...BAD_INPUT },
    { ...tenantCase(sample, ['replay', '--chunk-size', '1KiB']), name: 'bad input: replay --chunk-size 1KiB', ...BAD_INPUT },
  ];
}

/** The generator itself: the same options must write the same bytes in both builds. */
export function generateCases(workers: number): CompareCase[] {
  const threads = ['--workers', String(workers)];
  return [
    ['--rows', '20000', '--users', '200', '--from', '2026-01-01', '--months', '12', '--seed', '7', ...threads],
    // The options the bundled sample was made with.
    ['--rows', '2000', '--users', '12', '--months', '14', '--seed', '2026', ...threads],
    ['--rows', '70000', '--users', '3', '--from', '2025-11-01', '--months', '3', '--seed', '0', ...threads],
  ].map((options) => ({ name: `generate ${options.join(' ')}`, args: ['generate', ...options, '--out', 'tenant'] }));
}

/** Every command's --help, and --version. */
export function helpCases(): CompareCase[] {
  return [[], ['replay'], ['forecast'], ['recommend'], ['sweep'], ['generate']]
    .map((command) => ({ name: `${[...command, '--help'].join(' ')}`, args: [...command, '--help'] }))
    .concat([{ name: '--version', args: ['--version'] }]);
}
