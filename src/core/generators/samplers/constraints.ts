/**
 * SPEC 1 constraints on sampler columns, compiled to per-column checks for the
 * sampler group's rejection sampling:
 * - scalar_inequality {target_column, operator, rhs: number}
 * - column_inequality {target_column, operator, rhs: another sampler column},
 *   which must come earlier in the group's (dependency) order.
 * Operators lt, le, gt, ge compare as JavaScript does (numbers; Dates by time).
 * A missing value (null) never satisfies a constraint, as NaN in pandas.
 */
import type { Constraint, InequalityOperator } from '../../config/types.ts';
import { ConfigError, ErrorCodes, TabsynthError } from '../../errors.ts';
import type { Row } from '../../storage/types.ts';

/** Every constraint of one column. */
export interface ColumnChecks {
  /** Whether `value`, drawn for this column, meets all its constraints given the row so far. */
  holds(value: unknown, row: Readonly<Row>): boolean;
  /** The error after `rejected` draws were rejected for a row group of `rows` rows, the budget `factor` x rows. */
  unsatisfiable(rejected: number, rows: number, factor: number): TabsynthError;
}

interface Check {
  operator: InequalityOperator;
  /** The number compared against, for scalar_inequality. */
  scalar: number;
  /** The column compared against, for column_inequality; null for scalar. */
  column: string | null;
  label: string;
  /** Rejections this check caused, for the error message. */
  failures: number;
}

const SYMBOL: Readonly<Record<InequalityOperator, string>> = {
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
};

/** Checks per column, aligned with `columns` (the group's order); undefined for an unconstrained column. */
export function compileConstraints(
  columns: readonly string[],
  constraints: readonly Constraint[],
): (ColumnChecks | undefined)[] {
  const byColumn = new Map<number, Check[]>();
  const issues: { path: string; message: string }[] = [];
  constraints.forEach((constraint, i) => {
    const target = columns.indexOf(constraint.target_column);
    if (target < 0) {
      issues.push({
        path: `constraints[${i}].target_column`,
        message: `expected a sampler column (${columns.join(', ')}), found '${constraint.target_column}'`,
      });
      return;
    }
    if (!(constraint.operator in SYMBOL)) {
      issues.push({
        path: `constraints[${i}].operator`,
        message: `expected lt, le, gt or ge, found ${JSON.stringify(constraint.operator)}`,
      });
      return;
    }
    let check: Check;
    if (constraint.constraint_type === 'column_inequality') {
      const rhs = columns.indexOf(constraint.rhs);
      if (rhs < 0 || rhs >= target) {
        issues.push({
          path: `constraints[${i}].rhs`,
          message:
            rhs < 0
              ? `expected a sampler column (${columns.join(', ')}), found '${constraint.rhs}'`
              : `expected a sampler column generated before '${constraint.target_column}', found '${constraint.rhs}'`,
        });
        return;
      }
      check = {
        operator: constraint.operator,
        scalar: 0,
        column: constraint.rhs,
        label: `column_inequality ${constraint.target_column} ${SYMBOL[constraint.operator]} ${constraint.rhs}`,
        failures: 0,
      };
    } else {
      if (typeof constraint.rhs !== 'number' || Number.isNaN(constraint.rhs)) {
        issues.push({
          path: `constraints[${i}].rhs`,
          message: `expected a number, found ${JSON.stringify(constraint.rhs)}`,
        });
        return;
      }
      check = {
        operator: constraint.operator,
        scalar: constraint.rhs,
        column: null,
        label: `scalar_inequality ${constraint.target_column} ${SYMBOL[constraint.operator]} ${constraint.rhs}`,
        failures: 0,
      };
    }
    const list = byColumn.get(target) ?? [];
    list.push(check);
    byColumn.set(target, list);
  });
  if (issues.length) throw new ConfigError(issues);
  return columns.map((column, c) => {
    const list = byColumn.get(c);
    return list ? columnChecks(column, list) : undefined;
  });
}

function columnChecks(column: string, checks: Check[]): ColumnChecks {
  return {
    holds(value, row) {
      for (const check of checks) {
        const rhs = check.column === null ? check.scalar : row[check.column];
        if (!compare(check.operator, value, rhs)) {
          check.failures++;
          return false;
        }
      }
      return true;
    },
    unsatisfiable(rejected, rows, factor) {
      const worst = checks.reduce((a, b) => (b.failures > a.failures ? b : a));
      return new TabsynthError(
        ErrorCodes.CONSTRAINT_UNSATISFIABLE,
        `constraint ${worst.label} on column '${column}': ${rejected} draws rejected for ${rows} rows ` +
          `(the budget is ${factor} x rows); the column's sampler rarely or never draws a value that meets it`,
        { column, constraint: worst.label, rejected, rows },
      );
    },
  };
}

function compare(operator: InequalityOperator, lhs: unknown, rhs: unknown): boolean {
  if (lhs == null || rhs == null) return false;
  const a = lhs as number;
  const b = rhs as number;
  switch (operator) {
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
  }
}
