import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Small modules and small functions (ARCHITECTURE.md, Size): no function in engine/ over 60 lines
 * and no file over 400. A function may stay longer when it is a hot loop that says so and why, in
 * a `// hot loop: …` comment on the line above it or on its body's first line.
 *
 * TypeScript 7 has no JavaScript compiler API to walk, so functions are found in the formatted
 * source: a declaration (function, method, or an arrow or function expression given a name) whose
 * body opens at the end of its line, or of the line that closes its multi-line parameters, and
 * ends at the first `}` back at the declaration's own indentation. Callbacks passed as arguments
 * are counted as part of the function around them.
 */
const MAX_FUNCTION_LINES = 60;
const MAX_FILE_LINES = 400;
const ENGINE = resolve(import.meta.dirname, '../../engine');
/** AssemblyScript, compiled by asc, laid out for the compiler rather than for reading. */
const NOT_TYPESCRIPT = join(ENGINE, 'ingest', 'simd');

interface FunctionSpan {
  name: string;
  /** 1-based line of the declaration. */
  line: number;
  /** From the declaration's line to its closing brace, both counted. */
  lines: number;
  hotLoop: boolean;
}

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'new', 'await', 'typeof', 'do', 'else', 'with', 'yield', 'throw', 'void', 'delete', 'in', 'of', 'super']);
const MODIFIERS = '(?:(?:export|default|public|private|protected|static|readonly|override|declare|abstract)\\s+)*';
const FUNCTION_START = new RegExp(`^(\\s*)${MODIFIERS}(?:async\\s+)?function\\s*\\*?\\s*([\\w$]*)\\s*(?:<.*>)?\\(`);
const NAMED_ARROW_START = new RegExp(`^(\\s*)${MODIFIERS}(?:(?:const|let|var)\\s+)?([\\w$]+)\\s*(?:[:=]\\s*|:[^=]+=\\s*)(?:async\\s+)?(?:function\\b|(?:<[^>]*>)?\\(|[\\w$]+\\s*=>)`);
const METHOD_START = new RegExp(`^(\\s*)${MODIFIERS}(?:(?:async|get|set)\\s+)?\\*?\\s*([\\w$]+)\\s*(?:<.*>)?\\(`);
const HOT_LOOP = /(?:\/\/|\/\*|^\s*\*)\s*hot loop:\s*\S/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Whether a signature's last line opens the body of this kind of declaration. */
function opensBody(text: string, kind: 'function' | 'arrow' | 'method'): boolean {
  if (!text.endsWith('{')) return false;
  if (kind === 'function') return true;
  if (kind === 'arrow') return text.includes('=>') || /\bfunction\b/.test(text);
  // A method's parameters close, its return type may follow; a call ending in a callback is no method.
  return /\)\s*(?::.*)?\{$/.test(text) && !/=>\s*\{$/.test(text);
}

/** The line where the body of the declaration at `start` opens, or -1 when it is no function. */
function bodyOpening(lines: readonly string[], start: number, kind: 'function' | 'arrow' | 'method'): number {
  const line = (lines[start] as string).trimEnd();
  if (line.endsWith('{')) return opensBody(line, kind) ? start : -1;
  if (!line.endsWith('(')) return -1;
  // Multi-line parameters: they close on the first line back at the declaration's indentation.
  const indent = indentOf(line);
  for (let next = start + 1; next < lines.length; next++) {
    const text = (lines[next] as string).trimEnd();
    if (text.trim() === '' || indentOf(text) > indent) continue;
    return indentOf(text) === indent && text.trimStart().startsWith(')') && opensBody(text, kind) ? next : -1;
  }
  return -1;
}

/** The first `}` back at the declaration's indentation after its body opened; -1 if none. */
function closingLine(lines: readonly string[], opening: number, indent: number): number {
  for (let next = opening + 1; next < lines.length; next++) {
    const text = lines[next] as string;
    if (text.trim() === '') continue;
    if (indentOf(text) < indent) return -1;
    if (indentOf(text) === indent) return text.trimStart().startsWith('}') ? next : -1;
  }
  return -1;
}

function declarationAt(line: string): { kind: 'function' | 'arrow' | 'method'; indent: number; name: string } | null {
  const asFunction = FUNCTION_START.exec(line);
  if (asFunction !== null) return { kind: 'function', indent: (asFunction[1] as string).length, name: asFunction[2] || '(anonymous)' };
  const asArrow = NAMED_ARROW_START.exec(line);
  if (asArrow !== null && !KEYWORDS.has(asArrow[2] as string)) return { kind: 'arrow', indent: (asArrow[1] as string).length, name: asArrow[2] as string };
  const asMethod = METHOD_START.exec(line);
  if (asMethod !== null && !KEYWORDS.has(asMethod[2] as string)) return { kind: 'method', indent: (asMethod[1] as string).length, name: asMethod[2] as string };
  return null;
}

/** Every function declared in a formatted TypeScript text, with its length in lines. */
function functionsIn(text: string): FunctionSpan[] {
  const lines = text.split('\n');
  const found: FunctionSpan[] = [];
  lines.forEach((line, start) => {
    const declaration = declarationAt(line);
    if (declaration === null) return;
    const opening = bodyOpening(lines, start, declaration.kind);
    if (opening < 0) return;
    const closing = closingLine(lines, opening, declaration.indent);
    if (closing < 0) return;
    const hotLoop = HOT_LOOP.test(lines[start - 1] ?? '') || HOT_LOOP.test(lines[opening + 1] ?? '');
    found.push({ name: declaration.name, line: start + 1, lines: closing - start + 1, hotLoop });
  });
  return found;
}

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

function engineFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return path === NOT_TYPESCRIPT ? [] : engineFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = engineFiles(ENGINE).map((path) => ({ name: relative(ENGINE, path), text: readFileSync(path, 'utf8') }));

describe('the size of engine/', () => {
  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const long = files.filter((file) => lineCount(file.text) > MAX_FILE_LINES).map((file) => `engine/${file.name}: ${lineCount(file.text)} lines`);
    expect(long).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines but hot loops that say why`, () => {
    const long = files.flatMap((file) =>
      functionsIn(file.text)
        .filter((span) => span.lines > MAX_FUNCTION_LINES && !span.hotLoop)
        .map((span) => `engine/${file.name}:${span.line} ${span.name}: ${span.lines} lines`),
    );
    expect(long).toEqual([]);
  });

  it('is measured by a detector that finds every kind of declaration and its end', () => {
    const body = (count: number, indent = '  ') => Array.from({ length: count }, (_, index) => `${indent}total += ${index};`);
    const sample = [
      'export function long(a: number): number {',
      ...body(63),
      '}',
      'const arrow = async <T,>(value: T): Promise<T> => {',
      ...body(3),
      '};',
      'function multiLine(',
      '  a: number,',
      '  b: number,',
      '): number {',
      ...body(2),
      '}',
      'class Book {',
      '  private readonly index = new Map<string, number>();',
      '  get size(): number {',
      '    return this.index.size;',
      '  }',
      '  // hot loop: one call per row, kept whole so that V8 inlines the field reads',
      '  scan(bytes: Uint8Array): void {',
      ...body(70, '    '),
      '  }',
      '}',
      'const object = {',
      '  handler: (x: number) => {',
      '    return x;',
      '  },',
      '};',
      'const sum = (a + b) * c;',
      'if (sum > 0) {',
      '  run(sum, () => {',
      '    stop();',
      '  });',
      '}',
      'function oneLine() { return 1; }',
      'export function formatter(digits: number): (micros: number) => string {',
      '  return (micros) => String(micros / digits);',
      '}',
      'class Ledger {',
      '  constructor(onEvent?: (event: string) => void) {',
      '    this.onEvent = onEvent;',
      '  }',
      '  startsOf(part: number): { first: number; last: number } {',
      '    return { first: part, last: part };',
      '  }',
      '}',
      'stringify(rows, {',
      '  header: true,',
      '});',
    ].join('\n');
    const spans = functionsIn(sample).map(({ name, line, lines, hotLoop }) => `${name}@${line}:${lines}${hotLoop ? ' hot' : ''}`);
    expect(spans).toEqual(['long@1:65', 'arrow@66:5', 'multiLine@71:7', 'size@80:3', 'scan@84:72 hot', 'handler@158:3', 'formatter@169:3', 'constructor@173:3', 'startsOf@176:3']);
  });
});
