import { Rng, cellSeed, hashString } from '../random/seed.ts';
import type { Row } from '../storage/types.ts';
import type { BatchContext, BatchValues, ColumnGenerator } from '../engine/plan.ts';
import type { Constraint } from '../config/types.ts';
import type { SamplerDraw } from './samplers/types.ts';
import type { Converter } from './samplers/convert.ts';
import { compileConstraints, type ColumnChecks } from './samplers/constraints.ts';

/** One sampler column, compiled. */
export interface SamplerColumn {
  /** The column's name (its values' key in the row and in the output). */
  name: string;
  /** The draw of the column's params. */
  draw: SamplerDraw;
  /** decimal_places / convert_to int, float, str, applied to every draw before constraints see it. Default: none. */
  convert?: Converter;
  /**
   * Applied to the output value only (a datetime's strftime `convert_to`): later
   * samplers and constraints of the row still see the unformatted draw. Default: none.
   */
  format?: Converter;
  /** conditional_params: the first branch whose condition holds for the row draws instead. Default: none. */
  conditional?: { when: (row: Readonly<Row>) => boolean; draw: SamplerDraw; convert?: Converter }[];
  /** Reads earlier values of its row (subcategory, timedelta, conditions). */
  readsRow: boolean;
  /** Loads what the draws need (a faker locale), awaited once before the first draw. Default: none. */
  prepare?: () => Promise<void>;
}

export interface SamplerGroupOptions {
  /** SPEC 1 constraints on the group's columns, met by rejection sampling. Default: []. */
  constraints?: readonly Constraint[];
  /** Rejected draws allowed per constrained column and row group, as a multiple of its rows. Default: 5. */
  maxRejectionsFactor?: number;
  /**
   * Rows of the whole run: the rejection budget is `maxRejectionsFactor` × these
   * rows per constrained column, shared by every row group, so whether a run meets
   * its constraints does not depend on buffer_size. Default: budget per row group.
   */
  runRows?: number;
  /**
   * Generators whose columns the samplers read (the seed dataset's, through
   * conditions or subcategory parents). The group then runs after them and sees
   * their values in its rows. Default: [] (a root generator).
   */
  upstream?: string[];
}

/**
 * SPEC 3.1: all samplers form one generator. One from_scratch task fills every
 * sampler column of a row group; each cell draws from its own generator seeded by
 * hash(run seed, column, row), so values never depend on row-group boundaries.
 * Columns come in dependency order and rows are filled one at a time, so a sampler
 * sees the earlier samplers of its row through one reused row object.
 *
 * Constraints (SPEC 1): a cell whose draw breaks a constraint on its column draws
 * again from the same cell generator, continuing its stream (so the accepted value
 * is still a function of the cell's seed alone). After `maxRejectionsFactor` × rows
 * rejected draws of one column (the run's rows when `runRows` is given, else the
 * row group's), it fails with CONSTRAINT_UNSATISFIABLE.
 */
export function samplerGroupGenerator(
  name: string,
  columns: SamplerColumn[],
  options: SamplerGroupOptions = {},
): ColumnGenerator {
  const names = columns.map((c) => c.name);
  const hashes = names.map(hashString);
  const checks: (ColumnChecks | undefined)[] = compileConstraints(names, options.constraints ?? []);
  const factor = options.maxRejectionsFactor ?? 5;
  // Rejections so far this run, per column (when the budget is the run's).
  const runRejected =
    options.runRows === undefined ? undefined : new Array<number>(columns.length).fill(0);
  const upstream = options.upstream ?? [];
  // Per column: does a draw, condition or constraint of it read its row? Only then
  // is the row object filled (with the upstream row and the earlier samplers).
  const columnInequality = new Set(
    (options.constraints ?? [])
      .filter((c) => c.constraint_type === 'column_inequality')
      .map((c) => c.target_column),
  );
  const readsRow = columns.map(
    (c) =>
      upstream.length > 0 ||
      c.readsRow ||
      c.conditional !== undefined ||
      columnInequality.has(c.name),
  );
  const prepares = columns.flatMap((c) => (c.prepare ? [c.prepare] : []));
  let prepared: Promise<void> | undefined;
  let ready = prepares.length === 0;
  const rng = new Rng(0);

  /**
   * Column by column (each column's draw is then one call site in a tight loop);
   * a column that reads its row sees the upstream row and the earlier samplers'
   * values of that row, never a later column's or another row's.
   */
  const fill = (ctx: BatchContext): BatchValues => {
    const n = ctx.rowIndices.length;
    const width = columns.length;
    const values: unknown[][] = [];
    const rejected = runRejected ?? new Array<number>(width).fill(0);
    const rows = options.runRows ?? n;
    const budget = factor * rows;
    for (let c = 0; c < width; c++) {
      const col = columns[c]!;
      const hash = hashes[c]!;
      const check = checks[c];
      const out = new Array<unknown>(n);
      const row: Row = {};
      const withRow = readsRow[c]!;
      const upstreamColumns = upstream.length > 0 ? [...ctx.columns] : [];
      for (let i = 0; i < n; i++) {
        if (withRow) {
          for (const [name, up] of upstreamColumns) row[name] = up[i];
          for (let e = 0; e < c; e++) row[names[e]!] = values[e]![i];
        }
        rng.reseed(cellSeed(ctx.runSeed, hash, ctx.rowIndices[i]!));
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
        let value = draw(rng, row);
        if (convert) value = convert(value);
        if (check) {
          while (!check.holds(value, row)) {
            if (++rejected[c]! >= budget) throw check.unsatisfiable(rejected[c]!, rows, factor);
            value = draw(rng, row);
            if (convert) value = convert(value);
          }
        }
        out[i] = value;
      }
      values.push(out);
    }
    const columnsOut: Record<string, unknown[]> = {};
    for (let c = 0; c < width; c++) {
      const format = columns[c]!.format;
      columnsOut[names[c]!] = format ? values[c]!.map(format) : values[c]!;
    }
    return { columns: columnsOut };
  };

  return {
    name,
    granularity: 'column',
    outputs: names,
    upstream,
    generate(ctx: BatchContext): BatchValues | Promise<BatchValues> {
      if (ready) return fill(ctx);
      prepared ??= Promise.all(prepares.map((p) => p())).then(
        () => void (ready = true),
        (err: unknown) => {
          prepared = undefined; // a later row group tries again
          throw err;
        },
      );
      return prepared.then(() => fill(ctx));
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
