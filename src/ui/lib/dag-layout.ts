/**
 * The column DAG laid out in layers, top to bottom (readers below what they read),
 * by dagre: ranks, crossing reduction and positions, with a free slot in every
 * layer an edge passes through. Edges run straight down through those slots and
 * bend only in the gaps between layers, so an edge never passes under a node it
 * does not join. The picture's size is the laid-out graph's: nothing is cut.
 */
import dagre from '@dagrejs/dagre';
import type { DagEdge, DagNode } from '../state/references.ts';

/** A node's box (top-left corner and size, in the picture's units). */
export interface PlacedNode {
  node: DagNode;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The name as drawn on the node (shortened when long; the full name is its title). */
  label: string;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** SVG path data, from the read column's box to the reader's. */
  path: string;
}

export interface DagLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const NODE_HEIGHT = 24;
/** The advance of one character of the nodes' 11 px monospace font, a little generous. */
const CHAR_WIDTH = 6.8;
const MAX_CHARS = 16;
const MIN_WIDTH = 48;
const PADDING_X = 16;
/** Where an edge stops short of its reader, so the arrow head touches the box. */
const ARROW_GAP = 2;

/** The name as a node shows it: whole up to 16 characters, else cut with an ellipsis. */
export function nodeLabel(name: string): string {
  return name.length > MAX_CHARS ? `${name.slice(0, MAX_CHARS - 1)}…` : name;
}

const nodeWidth = (label: string) =>
  Math.max(MIN_WIDTH, Math.ceil(label.length * CHAR_WIDTH) + PADDING_X);

interface Point {
  x: number;
  y: number;
}

/** Lays out `nodes` and `edges`; edges naming a node that is not there are left out. */
export function layoutDag(nodes: readonly DagNode[], edges: readonly DagEdge[]): DagLayout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 12, edgesep: 10, ranksep: 30, marginx: 4, marginy: 4 });
  g.setDefaultEdgeLabel(() => ({}));
  const id = (n: DagNode) => `c${n.index}`;
  const byName = new Map<string, DagNode>();
  for (const n of nodes) {
    if (!byName.has(n.name)) byName.set(n.name, n);
    g.setNode(id(n), { width: nodeWidth(nodeLabel(n.name)), height: NODE_HEIGHT });
  }
  const drawn: DagEdge[] = [];
  for (const e of edges) {
    const a = byName.get(e.from);
    const b = byName.get(e.to);
    if (!a || !b || a === b || g.hasEdge(id(a), id(b))) continue;
    g.setEdge(id(a), id(b));
    drawn.push(e);
  }
  dagre.layout(g);

  const center = (n: DagNode): Point => {
    const { x = 0, y = 0 } = g.node(id(n));
    return { x, y };
  };
  const placed = nodes.map((n): PlacedNode => {
    const { x = 0, y = 0, width, height } = g.node(id(n));
    return {
      node: n,
      x: x - width / 2,
      y: y - height / 2,
      width,
      height,
      label: nodeLabel(n.name),
    };
  });
  // The layers' centres: an edge's bend points there are the slots it passes through.
  const layerYs = [...new Set(placed.map((p) => p.y + NODE_HEIGHT / 2))];
  const inLayer = (p: Point) => layerYs.some((y) => Math.abs(p.y - y) < 0.5);

  const routes = drawn.map((e) => {
    const a = byName.get(e.from)!;
    const b = byName.get(e.to)!;
    const points = g.edge(id(a), id(b)).points ?? [];
    return { edge: e, a, b, via: points.slice(1, -1).filter(inLayer) };
  });
  const ports = spreadPorts(routes, center, (n) => g.node(id(n)).width);

  const out = routes.map(({ edge, via }, k): PlacedEdge => {
    const { start, end } = ports[k]!;
    return { from: edge.from, to: edge.to, path: edgePath([start, ...via, end]) };
  });
  const { width = 0, height = 0 } = g.graph();
  return { nodes: placed, edges: out, width: Math.ceil(width), height: Math.ceil(height) };
}

/**
 * Where each edge leaves its read column and reaches its reader: several edges on
 * one side of a node spread over its middle, ordered by where they head, so they
 * neither meet in one point nor cross at the node.
 */
function spreadPorts(
  routes: { a: DagNode; b: DagNode; via: Point[] }[],
  center: (n: DagNode) => Point,
  widthOf: (n: DagNode) => number,
): { start: Point; end: Point }[] {
  const ends = routes.map(() => ({ start: { x: 0, y: 0 }, end: { x: 0, y: 0 } }));
  type Port = { k: number; which: 'start' | 'end'; toward: number; width: number };
  const sides = new Map<string, Port[]>();
  const add = (n: DagNode, k: number, which: 'start' | 'end', toward: Point) => {
    const c = center(n);
    const side = `${n.index}:${toward.y > c.y ? 'bottom' : 'top'}`;
    const port = { k, which, toward: toward.x, width: widthOf(n) };
    sides.set(side, [...(sides.get(side) ?? []), port]);
    ends[k]![which] = { x: c.x, y: c.y + (toward.y > c.y ? 1 : -1) * (NODE_HEIGHT / 2) };
  };
  routes.forEach(({ a, b, via }, k) => {
    add(a, k, 'start', via[0] ?? center(b));
    add(b, k, 'end', via[via.length - 1] ?? center(a));
  });
  for (const list of sides.values()) {
    const spread = Math.min(list[0]!.width * 0.6, (list.length - 1) * 10);
    list
      .sort((p, q) => p.toward - q.toward)
      .forEach((l, i) => {
        const offset = list.length > 1 ? -spread / 2 + (spread * i) / (list.length - 1) : 0;
        ends[l.k]![l.which].x += offset;
      });
  }
  for (const e of ends) e.end.y += e.end.y > e.start.y ? -ARROW_GAP : ARROW_GAP;
  return ends;
}

/**
 * A path through `points` (the two ends and a slot in each layer between): straight
 * through each slot, an S-curve in each gap between layers, which stays in the gap.
 */
function edgePath(points: Point[]): string {
  const half = NODE_HEIGHT / 2;
  const first = points[0]!;
  let d = `M${r(first.x)},${r(first.y)}`;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const down = b.y > a.y;
    // Leave a slot at its far edge (the ends already lie on their box's edge).
    const y0 = i === 0 ? a.y : a.y + (down ? half : -half);
    const y1 = i + 2 === points.length ? b.y : b.y - (down ? half : -half);
    if (i > 0) d += ` L${r(a.x)},${r(y0)}`;
    const my = (y0 + y1) / 2;
    d += ` C${r(a.x)},${r(my)} ${r(b.x)},${r(my)} ${r(b.x)},${r(y1)}`;
  }
  return d;
}

const r = (v: number) => Math.round(v * 10) / 10;
