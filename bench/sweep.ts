/**
 * The sweep end to end: 1,000 recharge policies over a year of a generated 5,000-user tenant (the
 * cached 1M-row export of end-to-end.ts), replaying only the credit demand per policy, against the
 * same policies run by full replay (pools, rating and ledger per policy), measured in the same run
 * on a sample of the cells, in both models of a short balance (overdraft and cut).
 * Usage: node dist/bench/sweep.js [--cells 1000] [--full-sample 5] [--trials-run 1]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayDemand } from '../engine/credits/demand.js';
import { prepareDemand, replayDemandFast } from '../engine/credits/fast-replay.js';
import { EXHAUSTION_MODELS, type RechargePolicy } from '../engine/model/credits-policy.js';
import { historyOf } from '../engine/forecast/history.js';
import { packageRoot } from '../engine/edge/load/package-data.js';
import { replay } from '../engine/replay/replay.js';
import { loadInputs } from '../engine/edge/run/run-replay.js';

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const folder = join(packageRoot(), 'bench', '.data', '1m');
if (!existsSync(join(folder, 'pstn.csv'))) throw new Error('run node dist/bench/end-to-end.js --sizes 1m first: it generates the 1M-row export');
const inputs = await loadInputs([join(folder, 'pstn.csv')], join(folder, 'scenario.json'));
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

let started = process.hrtime.bigint();
const history = historyOf(inputs);
const demandSeconds = seconds(started);

const cellCount = option('cells', 1000);
const template: RechargePolicy = { triggerMicros: 0, amountMicros: 0, mode: 'with', compare: '<', delaySeconds: 0, failFrom: null, failProbability: 0, disableAfterFailures: null };
const policies: RechargePolicy[] = [];
for (let i = 0; policies.length < cellCount; i++) {
  const mode = i % 2 === 0 ? 'with' : 'to';
  const triggerMicros = (50 + 50 * (Math.floor(i / 2) % 10)) * 1_000_000;
  const amountMicros = triggerMicros + (100 + 100 * (Math.floor(i / 20) % 20)) * 1_000_000;
  policies.push({ ...template, mode, triggerMicros, amountMicros, delaySeconds: 3600 * (Math.floor(i / 400) % 3) });
}

const prepared = prepareDemand(history.demand, history.settings.minorUnitMicros);
const calls = history.calls.read;
console.log(`sweep: ${cellCount} policies over ${calls.toLocaleString('en')} calls (${history.demand.count.toLocaleString('en')} paid from credits), one trial`);
console.log(`  collect the credit demand once          ${demandSeconds.toFixed(2)} s`);
for (const exhaustion of EXHAUSTION_MODELS) {
  const settings = { ...history.settings, exhaustion };
  started = process.hrtime.bigint();
  let drops = 0;
  for (const autoRecharge of policies) drops += replayDemandFast(prepared, { ...history.policy, autoRecharge }, settings).creditDrops;
  const sweepSeconds = seconds(started);

  // The call-by-call ledger on a sample of the same cells, for the event-skipping speed-up.
  const plainSample = Math.min(policies.length, 20);
  started = process.hrtime.bigint();
  for (const autoRecharge of policies.slice(0, plainSample)) replayDemand(history.demand, { ...history.policy, autoRecharge }, settings);
  const plainPerCell = seconds(started) / plainSample;

  const sample = option('full-sample', 5);
  started = process.hrtime.bigint();
  for (const autoRecharge of policies.slice(0, sample)) replay({ ...inputs, scenario: { ...inputs.scenario, credits: { ...inputs.scenario.credits, autoRecharge, exhaustion } } });
  const fullPerCell = seconds(started) / sample;

  console.log(` ${exhaustion}:`);
  console.log(`  event-skipping replay of the demand     ${sweepSeconds.toFixed(2)} s   ${(cellCount / sweepSeconds).toFixed(1)} cells/s   (${drops} drops in all)`);
  console.log(`  call-by-call replay of the demand       ${plainPerCell.toFixed(3)} s/cell  ${(1 / plainPerCell).toFixed(1)} cells/s (${plainSample} sampled)`);
  console.log(`  full replay per policy (${sample} sampled)     ${fullPerCell.toFixed(2)} s/cell  ${(1 / fullPerCell).toFixed(2)} cells/s`);
  console.log(`  ratios: ${(fullPerCell / (sweepSeconds / cellCount)).toFixed(0)}x faster than full replays, ${(plainPerCell / (sweepSeconds / cellCount)).toFixed(0)}x faster than the call-by-call ledger`);
  console.log(`  at this rate 1,000 cells x 100 trials take ${((100_000 * sweepSeconds) / cellCount).toFixed(0)} s on one core (demand collection per trial not included)`);
}

// The whole thing as a user runs it: 1,050 cells x 100 bootstrap trials, all cores, in each model
// (the tenant's scenario with credits.exhaustion set, written beside it).
if (option('trials-run', 1) === 1) {
  for (const exhaustion of EXHAUSTION_MODELS) {
    const scenario = JSON.parse(readFileSync(join(folder, 'scenario.json'), 'utf8')) as { credits: Record<string, unknown> };
    scenario.credits['exhaustion'] = exhaustion;
    const scenarioFile = join(folder, `scenario-${exhaustion}.json`);
    writeFileSync(scenarioFile, JSON.stringify(scenario));
    started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [join(packageRoot(), 'dist', 'engine', 'cli', 'main.js'), 'sweep', '--cdrs', join(folder, 'pstn.csv'), '--scenario', scenarioFile,
      '--trials', '100', '--trigger', '50:500:50', '--amount', '100:1000:100', '--mode', 'with,to', '--delay', '0,3600,86400,259200,604800,1209600', '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) throw new Error('sweep failed');
    console.log(`  creditcast sweep (${exhaustion}), 1,050 cells x 100 bootstrap trials, all cores: ${seconds(started).toFixed(1)} s end to end (target: under 60 s)`);
  }
}
