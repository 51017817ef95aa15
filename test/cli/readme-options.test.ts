import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSize } from '../../engine/cli/inputs.js';
import { DEFAULT_CHUNK_BYTES } from '../../engine/edge/run/run-replay.js';
import { runCli } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';

/**
 * The README's option tables are the user's reference, so they must say what `--help` says: the
 * same options for every command, an argument exactly where the option takes one, and the same
 * required options and defaults. A table belongs to the commands named in backticks on the line
 * above it ("Options of `forecast`, `recommend` and `sweep`:"), or else to the commands of its
 * section's heading ("### `creditcast replay`").
 */
const COMMANDS = ['replay', 'forecast', 'recommend', 'sweep', 'generate', 'rate', 'rates infer'] as const;
type Command = (typeof COMMANDS)[number];

/** yargs gives every command these two; the README says so once, above the tables. */
const EVERY_COMMAND = new Set(['--help', '--version']);

const TABLE_HEADER = /^\|\s*option\s*\|\s*default\s*\|\s*meaning\s*\|\s*$/;

interface ReadmeOption {
  name: string;
  /** The placeholder after the name (`FILE…`, `N`), null for a flag. */
  argument: string | null;
  defaultCell: string;
  meaning: string;
}

interface HelpOption {
  name: string;
  type: string;
  required: boolean;
  /** As yargs prints it, quotes removed; undefined when it prints none. */
  defaultValue: string | undefined;
  text: string;
}

function commandsNamedIn(line: string, pattern: RegExp): Command[] {
  return [...line.matchAll(pattern)].map((match) => match[1] as string).filter((word): word is Command => (COMMANDS as readonly string[]).includes(word));
}

/** Every option table of the README, by command; `problems` collects what cannot be read. */
function readmeOptions(markdown: string, problems: string[]): Map<Command, ReadmeOption[]> {
  const lines = markdown.split('\n');
  const tables = new Map<Command, ReadmeOption[]>(COMMANDS.map((command) => [command, []]));
  let headingCommands: Command[] = [];
  lines.forEach((line, index) => {
    if (/^#{1,4} /.test(line)) headingCommands = commandsNamedIn(line, /`creditcast (\w+(?: \w+)?)`/g);
    if (!TABLE_HEADER.test(line)) return;
    let lead = index - 1;
    while (lead >= 0 && (lines[lead] as string).trim() === '') lead--;
    const named = commandsNamedIn(lines[lead] ?? '', /`(\w+)`/g);
    const commands = named.length > 0 ? named : headingCommands;
    if (commands.length === 0) problems.push(`README.md:${index + 1}: an option table under no command`);
    for (let row = index + 2; row < lines.length && (lines[row] as string).startsWith('|'); row++) {
      const option = optionRow(lines[row] as string, row + 1, problems);
      if (option !== null) for (const command of commands) (tables.get(command) as ReadmeOption[]).push(option);
    }
  });
  return tables;
}

function optionRow(line: string, lineNumber: number, problems: string[]): ReadmeOption | null {
  const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
  const match = /^`(--[a-z][a-z-]*)(?: ([^`]+))?`$/.exec(cells[0] ?? '');
  if (cells.length !== 3 || match === null) {
    problems.push(`README.md:${lineNumber}: not an option row: ${line}`);
    return null;
  }
  return { name: match[1] as string, argument: match[2] ?? null, defaultCell: cells[1] as string, meaning: cells[2] as string };
}

const helpRuns = new Map<Command, HelpOption[]>();

/** The options `creditcast COMMAND --help` lists (but --help and --version), with the notes yargs adds. */
function helpOptions(command: Command): HelpOption[] {
  const known = helpRuns.get(command);
  if (known !== undefined) return known;
  const options = readHelp(command).filter((option) => !EVERY_COMMAND.has(option.name));
  helpRuns.set(command, options);
  return options;
}

function readHelp(command: Command): HelpOption[] {
  const run = runCli([...command.split(' '), '--help']);
  expect(run.code, run.stderr).toBe(0);
  const options: { name: string; text: string }[] = [];
  for (const line of run.stdout.split('\n')) {
    const start = /^ {2}(--[a-z][a-z-]*)\s+(.*)$/.exec(line);
    if (start !== null) options.push({ name: start[1] as string, text: start[2] as string });
    else if (/^ {3,}\S/.test(line) && options.length > 0) (options.at(-1) as { text: string }).text += ` ${line.trim()}`;
  }
  return options.map(({ name, text }) => {
    const defaultText = /\[default: ([^\]]*)\]/.exec(text)?.[1];
    return {
      name,
      type: /\[(boolean|string|number|array|count)\]/.exec(text)?.[1] ?? 'unknown',
      required: text.includes('[required]'),
      defaultValue: defaultText === undefined ? undefined : defaultText.startsWith('"') ? (JSON.parse(defaultText) as string) : defaultText,
      text,
    };
  });
}

/** Where the README and `--help` disagree about one option, in words; empty when they agree. */
function disagreements(command: Command, help: HelpOption, readme: ReadmeOption): string[] {
  const found: string[] = [];
  const where = `${command} ${help.name}`;
  if (help.type === 'boolean' && readme.argument !== null) found.push(`${where}: a flag, but the README gives it an argument (${readme.argument})`);
  if (help.type !== 'boolean' && readme.argument === null) found.push(`${where}: takes a value (${help.type}), but the README shows no argument`);
  if (help.required !== (readme.defaultCell === 'required')) found.push(`${where}: --help says ${help.required ? '' : 'not '}required, the README's default is "${readme.defaultCell}"`);
  if (help.type === 'boolean' && help.defaultValue === 'false' && readme.defaultCell !== 'off') found.push(`${where}: off unless given, the README's default is "${readme.defaultCell}"`);
  if (help.type !== 'boolean' && help.defaultValue !== undefined && readme.defaultCell !== `\`${help.defaultValue}\``) {
    found.push(`${where}: default ${help.defaultValue} in --help, "${readme.defaultCell}" in the README`);
  }
  return found;
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe("the README's option tables", () => {
  const problems: string[] = [];
  const tables = readmeOptions(README, problems);

  it('are all readable and each under a command', () => {
    expect(problems).toEqual([]);
  });

  describe.each(COMMANDS)('of creditcast %s', (command) => {
    const readme = tables.get(command) as ReadmeOption[];

    it('list exactly the options --help lists, each once', () => {
      const help = helpOptions(command);
      expect(help.length).toBeGreaterThanOrEqual(7);
      expect(readme.map((option) => option.name).sort()).toEqual(help.map((option) => option.name).sort());
    });

    it('agree with --help on arguments, required options and defaults', () => {
      const found = helpOptions(command).flatMap((option) => {
        const row = readme.find((candidate) => candidate.name === option.name);
        return row === undefined ? [] : disagreements(command, option, row);
      });
      expect(found).toEqual([]);
    });
  });

  it('give the --chunk-size limits and default the code checks', () => {
    const row = tables.get('replay')?.find((option) => option.name === '--chunk-size');
    const limits = /`(\d+[KMG]iB)` to `(\d+[KMG]iB)`/.exec(row?.meaning ?? '');
    expect(limits, 'the replay table names the limits of --chunk-size').not.toBeNull();
    const [low, high] = [parseSize((limits as RegExpExecArray)[1] as string), parseSize((limits as RegExpExecArray)[2] as string)];
    expect(() => parseSize(String(low - 1))).toThrow('--chunk-size');
    expect(() => parseSize(String(high + 1))).toThrow('--chunk-size');
    expect(row?.defaultCell).toBe('`32MiB`');
    expect(parseSize('32MiB')).toBe(DEFAULT_CHUNK_BYTES);
    const helpText = helpOptions('replay').find((option) => option.name === '--chunk-size')?.text ?? '';
    expect(helpText).toContain(`${(limits as RegExpExecArray)[1]} to ${(limits as RegExpExecArray)[2]}`);
  });

  it('are read by a parser that finds a table, its commands and a disagreement', () => {
    const sample = ['### `creditcast replay`', '', 'Options:', '', '| option | default | meaning |', '| --- | --- | --- |', '| `--json` | off | as JSON |', '| `--workers N` | all cores | threads |', '', 'Options of `sweep`:', '', '| option | default | meaning |', '| --- | --- | --- |', '| `--mode MODES` | `to` | modes |'].join('\n');
    const found: string[] = [];
    const parsed = readmeOptions(sample, found);
    expect(found).toEqual([]);
    expect(parsed.get('replay')?.map((option) => option.name)).toEqual(['--json', '--workers']);
    expect(parsed.get('sweep')).toEqual([{ name: '--mode', argument: 'MODES', defaultCell: '`to`', meaning: 'modes' }]);
    const mode: HelpOption = { name: '--mode', type: 'string', required: false, defaultValue: 'with', text: '' };
    expect(disagreements('sweep', mode, parsed.get('sweep')?.[0] as ReadmeOption)).toEqual(['sweep --mode: default with in --help, "`to`" in the README']);
  });
});

describe('the links of the README, ARCHITECTURE.md and engine/RULES.md', () => {
  it('lead to files that exist', () => {
    const broken: string[] = [];
    for (const document of ['README.md', 'ARCHITECTURE.md', 'engine/RULES.md', 'bench/RESULTS.md']) {
      const text = readFileSync(join(ROOT, document), 'utf8');
      for (const match of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = match[1] as string;
        if (/^[a-z]+:/.test(target)) continue;
        if (!existsSync(join(ROOT, dirname(document), target))) broken.push(`${document}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
