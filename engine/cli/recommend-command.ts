import type { Argv } from 'yargs';
import { printableLines } from '../kernel/quote.js';
import { InputError } from '../kernel/errors.js';
import { confidentFunding, confidentRecharge, type ConfidentFunding } from '../forecast/over-trials.js';
import { buildTrials } from '../edge/run/run-trials.js';
import { daysFromCivil, monthIndexOf, monthLabel } from '../kernel/calendar.js';
import { formatMicros } from '../kernel/money.js';
import { formatInstant } from '../kernel/time.js';
import { postpaidInvoiceMonths, postpaidRecommend, postpaidRecommendText } from './postpaid-answers.js';
import { postpaidRecommendHtml } from '../report/html/postpaid-html.js';
import { printWarnings, trialWarnings } from './warnings.js';
import { basename } from 'node:path';
import type { CreditsPolicy } from '../credits/demand.js';
import type { Trials } from '../forecast/trials.js';
import { chartAssets } from '../edge/chart-assets.js';
import { refuseOutputsOverInputs, runInputFiles, writeOutput } from '../edge/write-output.js';
import { recommendHtml, type TenthLess, type WorstTrial } from '../report/html/trials-html.js';
import { dailyBalances } from '../report/html/trial-series.js';
import { amountList, cdrFiles, inputOptions, loadFromArgs, modelOptions, refuseWorkBeyondMemory, trialOptions, type InputArgs, type ModelArgs, progressOf, workersOf } from './inputs.js';

export interface RecommendArgs extends InputArgs, ModelArgs {
  step: string;
  confidence: number;
  json: boolean;
  html: string | undefined;
}

export function recommendOptions(yargs: Argv): Argv<RecommendArgs> {
  return modelOptions(inputOptions(yargs))
    .option('step', { type: 'string', default: '10', describe: 'round recommended amounts up to this step' })
    .option('confidence', { type: 'number', default: 0.95, describe: 'share of trials in which no call may drop' })
    .option('json', { type: 'boolean', default: false, describe: 'print the recommendation as JSON' })
    .option('html', { type: 'string', describe: 'write a self-contained HTML report with charts to this file' }) as unknown as Argv<RecommendArgs>;
}

/**
 * `creditcast recommend`: the smallest initial funding with which, in at least the chosen share of
 * trials, no call drops for lack of credits, without and with the scenario's auto-recharge; and the
 * recharge setting that ties up least money; each checked by replay and explained.
 */
export async function recommendCommand(args: RecommendArgs): Promise<void> {
  const document = await recommendAnswer(args);
  if (args.json) {
    process.stdout.write(recommendJson(document));
    return;
  }
  if ('monthlyBudget' in document) {
    process.stdout.write(printableLines(postpaidRecommendText(document)));
    return;
  }
  const lines = [
    `creditcast recommend: ${document.horizon.from} to ${document.horizon.to}, model ${document.model}, ${document.trials} trial(s), confidence ${args.confidence}`,
    '',
    `Initial funding, no auto-recharge:    ${document.initial.noRecharge ?? 'none suffices'}`,
    `Initial funding, scenario's recharge: ${document.initial.withPolicy ?? 'none suffices'}`,
    `Recharge setting:                     ${document.recharge === null ? 'none found' : `${document.recharge.mode} ${document.recharge.amount} below ${document.recharge.trigger}`}`,
    '',
    ...document.explanation.map((line) => `- ${line}`),
  ];
  process.stdout.write(`${printableLines(lines.join('\n'))}\n`);
}

/** Exactly what `recommend --json` prints. */
export function recommendJson(document: Awaited<ReturnType<typeof recommendAnswer>>): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The recommendation as data, shared by this command and the fleet's workers. */
export async function recommendAnswer(args: RecommendArgs) {
  if (!(args.confidence > 0 && args.confidence <= 1)) throw new InputError(`--confidence: expected a share above 0 and at most 1, got ${args.confidence}`);
  const options = trialOptions(args);
  refuseOutputsOverInputs({ '--html': args.html }, runInputFiles(cdrFiles(args.cdrs), args.scenario));
  const inputs = await loadFromArgs({ ...args, wholeHistory: args.model !== 'history' });
  const { scenario } = inputs;
  const [stepMicros] = amountList('step', args.step, scenario.minorUnitMicros, 1);
  if (stepMicros === undefined || stepMicros <= 0) throw new InputError(`--step: expected a positive amount, got "${args.step}"`);
  refuseWorkBeyondMemory('recommend', inputs.table, options, args, { cells: 1, keeps: 'prepared demand' });
  const trials = await buildTrials(inputs, options, workersOf(args), progressOf());
  printWarnings(trialWarnings(trials));
  if (scenario.billing === 'postpaid') {
    const answer = postpaidRecommend(trials, scenario, args.confidence, stepMicros);
    if (args.html !== undefined) writeOutput(args.html, postpaidRecommendHtml(answer, postpaidInvoiceMonths(trials, scenario), { scenarioName: basename(args.scenario), currency: scenario.currency }, chartAssets()));
    return answer;
  }
  const base = { initialMicros: 0, autoRecharge: scenario.credits.autoRecharge, topUps: scenario.credits.topUps };
  const settings = { stepMicros, minimumMicros: scenario.credits.minimumPurchaseMicros };
  const noRecharge = confidentFunding(trials.histories, { ...base, autoRecharge: null }, settings, args.confidence);
  const withPolicy = base.autoRecharge === null ? noRecharge : confidentFunding(trials.histories, base, settings, args.confidence);
  const template = base.autoRecharge ?? { triggerMicros: 0, amountMicros: 0, mode: 'with' as const, compare: '<' as const, delaySeconds: 0, failFrom: null, failProbability: 0, disableAfterFailures: null };
  const recharge = confidentRecharge(trials.histories, base, settings, template, args.confidence);

  const money = (micros: number) => formatMicros(micros, scenario.minorDigits);
  const trialsText = trials.histories.length === 1 ? 'the one trial' : `${Math.round(args.confidence * 100)}% of ${trials.histories.length} trials`;
  const explanation = [
    ...explain('without auto-recharge', noRecharge, trialsText, money, scenario.offsetMinutes),
    ...(base.autoRecharge === null ? [] : explain("with the scenario's auto-recharge", withPolicy, trialsText, money, scenario.offsetMinutes)),
    recharge === null
      ? `No recharge setting on the grid keeps ${trialsText} free of drops: some calls cannot be paid by any balance.`
      : `Least money tied up with ${trialsText} free of drops: recharge ${recharge.policy.mode} ${money(recharge.policy.amountMicros)} when the balance falls below ${money(recharge.policy.triggerMicros)}, starting with ${money(recharge.initialMicros)}; on average ${money(Math.round(recharge.scoreMicros / scenario.minorUnitMicros) * scenario.minorUnitMicros)} tied up and forfeited (best of ${recharge.candidates} settings).`,
  ];
  const orNull = (answer: ConfidentFunding) => (answer.initialMicros === null ? null : money(answer.initialMicros));
  const document = {
    initial: { noRecharge: orNull(noRecharge), withPolicy: orNull(withPolicy) },
    recharge: recharge === null ? null : { trigger: money(recharge.policy.triggerMicros), amount: money(recharge.policy.amountMicros), mode: recharge.policy.mode, initial: money(recharge.initialMicros) },
    confidence: args.confidence,
    model: trials.model,
    trials: trials.histories.length,
    horizon: { from: formatInstant(trials.start), to: formatInstant(trials.end) },
    verified: { noRecharge: noRecharge.verified, withPolicy: withPolicy.verified },
    explanation,
  };
  if (args.html !== undefined) {
    const answers = [{ label: 'no auto-recharge', answer: noRecharge, policy: { ...base, autoRecharge: null } }, ...(base.autoRecharge === null ? [] : [{ label: "scenario's auto-recharge", answer: withPolicy, policy: base }])];
    const worst = worstTrials(answers, trials, money, scenario.offsetMinutes);
    writeOutput(args.html, recommendHtml(document, worst, { scenarioName: basename(args.scenario), currency: scenario.currency }, chartAssets()));
  }
  return document;
}

/** Each answer's worst trial, funded with the answer and with a tenth less, as its balance per day. */
function worstTrials(answers: { label: string; answer: ConfidentFunding; policy: CreditsPolicy }[], trials: Trials, money: (micros: number) => string, offsetMinutes: number): WorstTrial[] {
  return answers.flatMap(({ label, answer, policy }) => {
    const trial = trials.histories[answer.worstTrial];
    if (answer.initialMicros === null || trial === undefined) return [];
    const balances = dailyBalances(trial, { ...policy, initialMicros: answer.initialMicros }, trials.start, trials.end);
    // The same test as the explanation: at the minimum purchase nothing smaller can be bought.
    const tenthLess = answer.initialMicros === answer.smallerMicros || answer.shareOneStepLess === null ? null : tenthLessOf(answer, dailyBalances(trial, { ...policy, initialMicros: answer.smallerMicros }, trials.start, trials.end), money, offsetMinutes);
    return [{ label, trial: answer.worstTrial, initial: money(answer.initialMicros), dayMs: balances.map((_, day) => trials.start + day * 86_400_000), balanceMicros: balances, tenthLess }];
  });
}

/** What a tenth less than the answer drops, and the month of its first drop over all trials. */
function tenthLessOf(answer: ConfidentFunding, balanceMicros: number[], money: (micros: number) => string, offsetMinutes: number): TenthLess {
  const firstDrops = answer.smallerOutcomes.filter((outcome) => outcome.creditDrops > 0).map((outcome) => outcome.firstDrop as number);
  const firstDropMs = firstDrops.length === 0 ? null : Math.min(...firstDrops);
  const month = firstDropMs === null ? null : monthIndexOf(firstDropMs, offsetMinutes);
  const startOf = (index: number) => daysFromCivil(Math.floor(index / 12), (index % 12) + 1, 1) * 86_400_000 - offsetMinutes * 60_000;
  return {
    amount: money(answer.smallerMicros),
    balanceMicros,
    dropping: firstDrops.length,
    trials: answer.smallerOutcomes.length,
    firstDropMs,
    month: month === null ? null : monthLabel(month),
    monthStartMs: month === null ? null : startOf(month),
    monthEndMs: month === null ? null : startOf(month + 1),
  };
}

function explain(label: string, answer: ConfidentFunding, trialsText: string, money: (micros: number) => string, offsetMinutes: number): string[] {
  if (answer.initialMicros === null) {
    return [`${label}: no initial amount keeps ${trialsText} free of drops (lots expire 12 months after purchase, or some calls cannot be paid at all): use auto-recharge or top-ups.`];
  }
  const smallerDrops = answer.smallerOutcomes.filter((outcome) => outcome.creditDrops > 0);
  const firstDrops = smallerDrops.map((outcome) => outcome.firstDrop as number).sort((a, b) => a - b);
  const worst = answer.perTrialMicros[answer.worstTrial];
  const check = answer.shareOneStepLess === null
    ? 'it is the minimum purchase'
    : `one step less keeps ${Math.round(answer.shareOneStepLess * 100)}% of trials free of drops`;
  return [
    `${label}: ${money(answer.initialMicros)} keeps ${Math.round(answer.shareAtAnswer * 100)}% of trials free of drops (${answer.verified ? 'checked by replay' : 'NOT confirmed by the check'}: ${check}); the worst trial needs ${worst === null || worst === undefined ? 'more than any amount' : money(worst)}.`,
    answer.initialMicros === answer.smallerMicros || answer.shareOneStepLess === null
      ? `${label}: it is the minimum purchase, so no smaller amount can be bought.`
      : smallerDrops.length === 0
      ? `${label}: ${money(answer.smallerMicros)} (a tenth less) would drop nothing either.`
      : `${label}: ${money(answer.smallerMicros)} (a tenth less) would drop calls in ${smallerDrops.length} of ${answer.smallerOutcomes.length} trial(s), the first at ${formatInstant(firstDrops[0] as number)} (${monthLabel(monthIndexOf(firstDrops[0] as number, offsetMinutes))} decides it).`,
  ];
}
