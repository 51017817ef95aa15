import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../../engine/edge/run/run-replay.js';
import { terminalSummary } from '../../engine/report/summary.js';
import { tempFolder, writeFiles } from '../cli-helpers.js';
import { FIXTURES, ROOT } from '../helpers.js';

/**
 * The response body of the vendor's own example for getPstnCalls, verbatim: Microsoft Graph docs,
 * microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/callrecords-callrecord-getpstncalls.md
 * ("Response"). Its one row is an inbound call (user_in) whose licenseCapability is MCOPSTNU, a value
 * the report's documentation does not list.
 */
const EXAMPLE = join(FIXTURES, 'graph-getpstncalls-example.json');
const BUNDLED_ALLOWANCES = join(ROOT, 'data', 'allowances.csv');

/** A folder with the scenario (recorded charges, 2019-11) and, when given, an allowances file. */
function inputs(files: Record<string, string>, allowances?: string): string {
  const folder = tempFolder();
  const scenario = { start: '2019-11-01T00:00:00Z', end: '2019-12-01T00:00:00Z', rating: { source: 'recorded' }, ...(allowances === undefined ? {} : { allowances: 'allowances.csv' }) };
  writeFiles(folder, { 'scenario.json': JSON.stringify(scenario), ...files, ...(allowances === undefined ? {} : { 'allowances.csv': allowances }) });
  return folder;
}

/** The example's row placed as an outbound call to a US number (the example's calleeNumber), as a user_out row of a page. */
function outboundPage(): string {
  const page = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { value: Record<string, unknown>[] };
  const row = { ...page.value[0], callType: 'user_out', calleeNumber: '+14255550100', destinationContext: 'Domestic' };
  return JSON.stringify({ value: [row] });
}

/** The message names the bundled file from the working directory, and its last line. */
const BUNDLED_LAST_LINE = readFileSync(BUNDLED_ALLOWANCES, 'utf8').trimEnd().split('\n').length;
const HINT = `Capability "MCOPSTNU" is not in ${relative(process.cwd(), BUNDLED_ALLOWANCES)}: add a line after line ${BUNDLED_LAST_LINE} such as "MCOPSTNU,alias,*,0,0,what it is,MCOPSTN1" (alias_of: the plan it stands for) or a row of its own kind`;

const ALIAS_LINE = 'MCOPSTNU,alias,*,0,0,Unlimited Calling Plan (the tenant says what it is),MCOPSTN1\n';

describe("the Graph reference example's MCOPSTNU row", () => {
  it('is replayed as the free inbound call it is, and the summary names the allowances file and the line to add', async () => {
    const folder = inputs({});
    const result = await runReplay([EXAMPLE], join(folder, 'scenario.json'), { workers: 1 });
    expect(result.calls).toMatchObject({ read: 1, free: 1, rejected: 0 });
    const hint = HINT;
    expect(result.attribution.unknownCapabilities).toEqual([{ capability: 'MCOPSTNU', rows: 1, first: `${EXAMPLE}:1`, hint }]);
    expect(terminalSummary(result)).toContain(`${EXAMPLE}:1: 1 accepted row(s) (inbound): ${hint}`);
  });

  it('as an outbound call is rejected unknown-capability with that message; with an alias it is replayed on the plan', async () => {
    const page = { 'page.json': outboundPage() };
    const plain = inputs(page);
    const rejected = await runReplay([join(plain, 'page.json')], join(plain, 'scenario.json'), { workers: 1 });
    expect(rejected.rejects.map((reject) => [reject.reason, reject.detail])).toEqual([
      ['unknown-capability', HINT],
    ]);

    const aliased = inputs(page, readFileSync(BUNDLED_ALLOWANCES, 'utf8') + ALIAS_LINE);
    const result = await runReplay([join(aliased, 'page.json')], join(aliased, 'scenario.json'), { workers: 1 });
    // 219 s, no charge recorded: drawn from MCOPSTN1's US pool (Richard, the one user seen: 3000
    // min), 4 whole minutes.
    expect(result.calls).toMatchObject({ read: 1, pool: 1, rejected: 0 });
    expect(result.attribution.aliased).toEqual({ MCOPSTNU: 1 });
    expect(result.pools.map((pool) => [pool.capability, pool.country, pool.users, pool.minutes, pool.used])).toEqual([['MCOPSTN1', 'US', 1, 3000, 4]]);
  });
});
