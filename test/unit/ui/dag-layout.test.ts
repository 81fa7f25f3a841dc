/**
 * The DAG picture lays out without clipping (issue 14): every node lies inside the
 * picture, no two nodes overlap, and no edge passes under a node it does not join,
 * for every example and for graphs made to tempt it (an edge skipping layers past
 * the nodes between, a wide layer, a cycle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutDag, nodeLabel, type DagLayout } from '../../../src/ui/lib/dag-layout.ts';
import { importConfigText } from '../../../src/ui/state/config-io.ts';
import { dagOf, type DagEdge, type DagNode } from '../../../src/ui/state/references.ts';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples');

interface Point {
  x: number;
  y: number;
}

/** Points along an SVG path of M, L and C commands (absolute), 24 per segment. */
function samplePath(d: string): Point[] {
  const tokens = d.match(/[MLC]|-?\d+(?:\.\d+)?/g) ?? [];
  const points: Point[] = [];
  let at: Point = { x: 0, y: 0 };
  let i = 0;
  const num = () => Number(tokens[i++]);
  while (i < tokens.length) {
    const cmd = tokens[i++];
    if (cmd === 'M') {
      at = { x: num(), y: num() };
      points.push(at);
    } else if (cmd === 'L') {
      const to = { x: num(), y: num() };
      for (let k = 1; k <= 24; k++)
        points.push({ x: at.x + ((to.x - at.x) * k) / 24, y: at.y + ((to.y - at.y) * k) / 24 });
      at = to;
    } else if (cmd === 'C') {
      const [c1, c2, to] = [0, 1, 2].map(() => ({ x: num(), y: num() })) as [Point, Point, Point];
      for (let k = 1; k <= 24; k++) {
        const t = k / 24;
        const u = 1 - t;
        const f = (a: number, b: number, c: number, e: number) =>
          u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * e;
        points.push({ x: f(at.x, c1.x, c2.x, to.x), y: f(at.y, c1.y, c2.y, to.y) });
      }
      at = to;
    } else throw new Error(`unexpected path command ${cmd}`);
  }
  return points;
}

/** What is wrong with a layout, in words (empty: nothing). */
function problems(layout: DagLayout): string[] {
  const out: string[] = [];
  for (const n of layout.nodes) {
    if (n.x < 0 || n.y < 0 || n.x + n.width > layout.width || n.y + n.height > layout.height)
      out.push(`${n.node.name} sticks out of the ${layout.width}x${layout.height} picture`);
  }
  layout.nodes.forEach((a, i) =>
    layout.nodes.slice(i + 1).forEach((b) => {
      if (
        a.x < b.x + b.width &&
        b.x < a.x + a.width &&
        a.y < b.y + b.height &&
        b.y < a.y + a.height
      )
        out.push(`${a.node.name} overlaps ${b.node.name}`);
    }),
  );
  for (const e of layout.edges) {
    const points = samplePath(e.path);
    for (const p of points) {
      if (p.x < 0 || p.y < 0 || p.x > layout.width || p.y > layout.height) {
        out.push(`${e.from} -> ${e.to} leaves the picture`);
        break;
      }
    }
    for (const n of layout.nodes) {
      if (n.node.name === e.from || n.node.name === e.to) continue;
      const under = points.some(
        (p) => p.x > n.x && p.x < n.x + n.width && p.y > n.y && p.y < n.y + n.height,
      );
      if (under) out.push(`${e.from} -> ${e.to} passes under ${n.node.name}`);
    }
  }
  return out;
}

const node = (name: string, index: number, type = 'sampler'): DagNode => ({
  name,
  index,
  type,
  drop: false,
});

describe('the DAG lays out without clipping', () => {
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))) {
    it(`examples/${file}: nodes inside the picture, edges clear of unrelated nodes`, () => {
      const doc = importConfigText(readFileSync(resolve(EXAMPLES, file), 'utf8'), 'yaml');
      const { nodes, edges } = dagOf(doc);
      const layout = layoutDag(nodes, edges);
      expect(layout.nodes).toHaveLength(nodes.length);
      expect(layout.edges).toHaveLength(edges.length);
      expect(problems(layout)).toEqual([]);
    });
  }

  it('an edge that skips layers goes around the nodes between, readers below what they read', () => {
    // a -> b -> c -> d, and a -> d straight past b and c.
    const nodes = ['a', 'b', 'c', 'd'].map((n, i) => node(n, i));
    const edges: DagEdge[] = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'd' },
      { from: 'a', to: 'd' },
    ];
    const layout = layoutDag(nodes, edges);
    expect(problems(layout)).toEqual([]);
    const y = (name: string) => layout.nodes.find((n) => n.node.name === name)!.y;
    expect(y('a')).toBeLessThan(y('b'));
    expect(y('b')).toBeLessThan(y('c'));
    expect(y('c')).toBeLessThan(y('d'));
  });

  it('a wide layer and long names: the picture is as wide as its nodes', () => {
    const nodes = [
      ...Array.from({ length: 9 }, (_, i) => node(`feature_${i}`, i)),
      node('a_column_with_a_very_long_name', 9, 'llm-text'),
    ];
    const edges = nodes.slice(0, 9).map((n) => ({ from: n.name, to: nodes[9]!.name }));
    const layout = layoutDag(nodes, edges);
    expect(problems(layout)).toEqual([]);
    const right = Math.max(...layout.nodes.map((n) => n.x + n.width));
    expect(right).toBeLessThanOrEqual(layout.width);
    expect(layout.width - right).toBeLessThan(20);
    expect(layout.nodes[9]!.label).toBe('a_column_with_a…');
    expect(nodeLabel('product')).toBe('product');
  });

  it('a cycle (a config error) still draws every node and edge', () => {
    const nodes = ['x', 'y', 'z'].map((n, i) => node(n, i, 'expression'));
    const edges: DagEdge[] = [
      { from: 'x', to: 'y' },
      { from: 'y', to: 'z' },
      { from: 'z', to: 'x' },
    ];
    const layout = layoutDag(nodes, edges);
    expect(layout.edges).toHaveLength(3);
    expect(problems(layout)).toEqual([]);
  });

  it('no columns: an empty picture', () => {
    const layout = layoutDag([], []);
    expect(layout.nodes).toEqual([]);
    expect(layout.edges).toEqual([]);
  });
});
