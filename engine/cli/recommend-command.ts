import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { historyOf } from '../forecast/history.js';
import { bestRecharge, smallestInitialFunding, type FundingAnswer } from '../forecast/recommend.js';
import { monthIndexOf, monthLabel } from '../ingest/bytes.js';
import { formatMicros } from '../money.js';
import { formatInstant } from '../time.js';
import { amountList, inputOptions, loadFromArgs, type InputArgs } from './inputs.js';

interface RecommendArgs extends InputArgs {
  step: string;
  confidence: number;
  json: boolean;
}

export function recommendOptions(yargs: Argv): Argv<RecommendArgs> {
  return inputOptions(yargs)
    .option('step', { type: 'string', default: '10', describe: 'round recommended amounts up to this step' })
    .option('confidence', { type: 'number', default: 0.95, describe: 'share of trials with no drop (history is one trial, so any confidence gives the same answer)' })
    .option('json', { type: 'boolean', default: false, describe: 'print the recommendation as JSON' }) as unknown as Argv<RecommendArgs>;
}

/**
 * `creditcast recommend`: the smallest initial funding with which no call drops for lack of
 * credits over the scenario's history, without and with its auto-recharge, and the recharge
 * setting that ties up least money, each checked by replay and explained.
 */
export async function recommendCommand(args: RecommendArgs): Promise<void> {
  if (!(args.confidence > 0 && args.confidence <= 1)) throw new InputError(`--confidence: expected a share above 0 and at most 1, got ${args.confidence}`);
  const inputs = await loadFromArgs(args);
  const { scenario } = inputs;
  const [stepMicros] = amountList('step', args.step, scenario.minorUnitMicros, 1);
  if (stepMicros === undefined || stepMicros <= 0) throw new InputError(`--step: expected a positive amount, got "${args.step}"`);
  const history = historyOf(inputs);
  const settings = { stepMicros, minimumMicros: scenario.credits.minimumPurchaseMicros };
  const noRecharge = smallestInitialFunding(history.demand, history.settings, { ...history.policy, autoRecharge: null }, settings);
  const withPolicy = history.policy.autoRecharge === null ? noRecharge : smallestInitialFunding(history.demand, history.settings, history.policy, settings);
  const template = history.policy.autoRecharge ?? { triggerMicros: 0, amountMicros: 0, mode: 'with' as const, compare: '<' as const, delaySeconds: 0, failFrom: null, failProbability: 0, disableAfterFailures: null };
  const recharge = bestRecharge(history.demand, history.settings, { ...history.policy, initialMicros: 0 }, settings, template);

  const money = (micros: number) => formatMicros(micros, scenario.minorDigits);
  const orNull = (answer: FundingAnswer) => (answer.initialMicros === null ? null : money(answer.initialMicros));
  const explanation = [
    ...explain('without auto-recharge', noRecharge, money, scenario.offsetMinutes),
    ...(history.policy.autoRecharge === null ? [] : explain("with the scenario's auto-recharge", withPolicy, money, scenario.offsetMinutes)),
    recharge === null
      ? 'No recharge setting on the grid avoids every drop: some calls cannot be paid by any balance (see the drops above).'
      : `Least money tied up without a drop: recharge ${recharge.policy.mode} ${money(recharge.policy.amountMicros)} when the balance falls below ${money(recharge.policy.triggerMicros)}, starting with ${money(recharge.initialMicros)}: average balance ${money(Math.round(recharge.outcome.balanceAverageMicros / scenario.minorUnitMicros) * scenario.minorUnitMicros)}, ${money(recharge.outcome.forfeitedMicros)} forfeited, ${recharge.outcome.recharges} recharge(s) (best of ${recharge.candidates} settings tried).`,
  ];
  const document = {
    initial: { noRecharge: orNull(noRecharge), withPolicy: orNull(withPolicy) },
    recharge: recharge === null ? null : { trigger: money(recharge.policy.triggerMicros), amount: money(recharge.policy.amountMicros), mode: recharge.policy.mode, initial: money(recharge.initialMicros) },
    confidence: args.confidence,
    trials: 1,
    horizon: { from: formatInstant(history.settings.start), to: formatInstant(history.settings.end) },
    verified: { noRecharge: noRecharge.verified, withPolicy: withPolicy.verified },
    explanation,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  const lines = [
    `creditcast recommend: history ${document.horizon.from} to ${document.horizon.to}, one trial (the calls as they happened)`,
    '',
    `Initial funding, no auto-recharge:    ${document.initial.noRecharge ?? 'none suffices'}`,
    `Initial funding, scenario's recharge: ${document.initial.withPolicy ?? 'none suffices'}`,
    `Recharge setting:                     ${recharge === null ? 'none found' : `${recharge.policy.mode} ${document.recharge?.amount} below ${document.recharge?.trigger}`}`,
    '',
    ...explanation.map((line) => `- ${line}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function explain(label: string, answer: FundingAnswer, money: (micros: number) => string, offsetMinutes: number): string[] {
  if (answer.initialMicros === null) {
    const first = answer.outcome.firstDrop;
    return [
      `${label}: no initial amount avoids every drop${first === null ? '' : `; even ${money(answer.outcome.fundedMicros)} drops calls from ${formatInstant(first)}`} (lots expire 12 months after purchase, or calls cannot be paid at all): use auto-recharge or top-ups.`,
    ];
  }
  const smaller = answer.smallerOutcome;
  return [
    `${label}: ${money(answer.initialMicros)} pays every call (${money(answer.outcome.spentMicros)} spent, ${money(answer.outcome.forfeitedMicros)} forfeited, ${money(answer.outcome.closingMicros)} left); found in ${answer.replays} replays and ${answer.verified ? 'checked: one step less drops a call' : 'NOT confirmed by the check one step below (drops are not monotone here)'}.`,
    `${label}: ${money(answer.smallerMicros)} (a tenth less) ${smaller.creditDrops === 0 ? 'would drop nothing either' : `would drop ${smaller.creditDrops} call(s), the first at ${formatInstant(smaller.firstDrop as number)} (${monthLabel(monthIndexOf(smaller.firstDrop as number, offsetMinutes))} decides it)`}.`,
  ];
}
