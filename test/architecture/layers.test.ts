import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of ARCHITECTURE.md, lowest first. A file may import from its own layer or a lower
 * one, never a higher one, and neither files nor folders may import one another in a circle.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['kernel'],
  ['model'],
  ['rules'],
  ['cgrates'],
  ['columns'],
  ['ingest', 'pools', 'credits'],
  ['replay', 'forecast', 'generate', 'infer'],
  ['report'],
  ['edge'],
  ['fleet'],
  ['cli'],
];

const ENGINE = resolve(import.meta.dirname, '../../engine');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'simd' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a file, static, re-exported or dynamic, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    found.push(resolve(dirname(file), (match[1] as string).replace(/\.js$/, '.ts')));
  }
  return found;
}

function folderOf(file: string): string {
  return relative(ENGINE, file).split('/')[0] as string;
}

function rankOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Strongly connected components with more than one member (or a self-loop), by Tarjan. */
function circles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) as number, low.get(to) as number));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node) as number, index.get(to) as number));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

const files = sourceFiles(ENGINE);
const fileGraph = new Map(files.map((file) => [file, new Set(importsOf(file))]));

describe('the layers of engine/', () => {
  it('put every file in a folder that names a layer', () => {
    const homeless = files.filter((file) => rankOf(folderOf(file)) < 0).map((file) => relative(ENGINE, file));
    expect(homeless).toEqual([]);
  });

  it('never import from a higher layer', () => {
    const upward: string[] = [];
    for (const [file, imports] of fileGraph) {
      const from = folderOf(file);
      for (const target of imports) {
        if (!target.startsWith(ENGINE)) continue;
        const to = folderOf(target);
        if (rankOf(to) > rankOf(from)) upward.push(`${relative(ENGINE, file)} -> ${relative(ENGINE, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('have no file that imports itself back through others', () => {
    expect(circles(fileGraph).map((circle) => circle.map((file) => relative(ENGINE, file)))).toEqual([]);
  });

  it('have no folders that import one another in a circle', () => {
    const folderGraph = new Map<string, Set<string>>();
    for (const [file, imports] of fileGraph) {
      const from = folderOf(file);
      const targets = folderGraph.get(from) ?? new Set<string>();
      folderGraph.set(from, targets);
      for (const target of imports) if (target.startsWith(ENGINE) && folderOf(target) !== from) targets.add(folderOf(target));
    }
    expect(circles(folderGraph)).toEqual([]);
  });

  it('are checked by a test that notices an upward import and a circle', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['d'])],
      ['e', new Set<string>()],
    ]);
    expect(circles(graph)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(rankOf('kernel')).toBeLessThan(rankOf('cli'));
  });
});
