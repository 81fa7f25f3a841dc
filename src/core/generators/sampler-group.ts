import { Rng, cellSeed, hashString } from '../random/seed.ts';
import type { Row } from '../storage/types.ts';
import type { BatchContext, BatchValues, ColumnGenerator } from '../engine/plan.ts';
import type { SamplerDraw } from './samplers/types.ts';
import type { Converter } from './samplers/convert.ts';

/** One sampler column, compiled. */
export interface SamplerColumn {
  name: string;
  draw: SamplerDraw;
  /** decimal_places / convert_to, when set. */
  convert?: Converter;
  /** conditional_params: the first branch whose condition holds for the row draws instead. */
  conditional?: { when: (row: Readonly<Row>) => boolean; draw: SamplerDraw; convert?: Converter }[];
  /** Reads earlier values of its row (subcategory, timedelta, conditions). */
  readsRow: boolean;
}

const EMPTY_ROW: Readonly<Row> = Object.freeze({});

/**
 * SPEC 3.1: all samplers form one generator. One from_scratch task fills every
 * sampler column of a row group; each cell draws from its own generator seeded by
 * hash(run seed, column, row), so values never depend on row-group boundaries.
 * Columns come in dependency order, so a sampler sees the earlier samplers of its row.
 */
export function samplerGroupGenerator(name: string, columns: SamplerColumn[]): ColumnGenerator {
  const hashes = columns.map((c) => hashString(c.name));
  const needsRows = columns.some((c) => c.readsRow);
  const rng = new Rng(0);
  return {
    name,
    granularity: 'column',
    outputs: columns.map((c) => c.name),
    upstream: [],
    generate(ctx: BatchContext): BatchValues {
      const n = ctx.rowIndices.length;
      const out: Record<string, unknown[]> = {};
      const rows: Row[] | undefined = needsRows ? ctx.rows.map((r) => ({ ...r })) : undefined;
      columns.forEach((col, c) => {
        const values = new Array<unknown>(n);
        const hash = hashes[c]!;
        for (let i = 0; i < n; i++) {
          rng.reseed(cellSeed(ctx.runSeed, hash, ctx.rowIndices[i]!));
          const row = rows ? rows[i]! : EMPTY_ROW;
          let draw = col.draw;
          let convert = col.convert;
          if (col.conditional) {
            for (const branch of col.conditional) {
              if (branch.when(row)) {
                draw = branch.draw;
                convert = branch.convert;
                break;
              }
            }
          }
          const raw = draw(rng, row);
          const value = convert ? convert(raw) : raw;
          values[i] = value;
          if (rows) rows[i]![col.name] = value;
        }
        out[col.name] = values;
      });
      return { columns: out };
    },
  };
}

/**
 * SPEC 3.1: a config with neither samplers nor seed columns gets a hidden row-id
 * column, so every row group has a root generator.
 */
export function rowIdGenerator(name: string): ColumnGenerator {
  return {
    name,
    granularity: 'column',
    outputs: [name],
    upstream: [],
    generate: (ctx) => ({ columns: { [name]: [...ctx.rowIndices] } }),
  };
}
