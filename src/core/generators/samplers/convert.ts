import { ErrorCodes, TabsynthError } from '../../errors.ts';

/**
 * What a sampler column does with a draw after it: round to `decimal_places`,
 * then `convert_to` int, float or str (SPEC 1). A strftime format for dates is
 * handled by the datetime sampler itself.
 */
interface ConvertOptions {
  /** Round numbers to this many places. Default: no rounding. */
  decimalPlaces?: number | null;
  /**
   * 'int' rounds half to even, as Data Designer's `series.round().astype(int)`;
   * 'float'; 'str'. Default: none.
   */
  convertTo?: 'int' | 'float' | 'str' | null;
}

export type Converter = (value: unknown) => unknown;

export function makeConverter(column: string, options: ConvertOptions): Converter | undefined {
  const { decimalPlaces, convertTo } = options;
  const round = decimalPlaces == null ? undefined : roundTo(decimalPlaces);
  if (!round && !convertTo) return undefined;
  return (value) => {
    let v = value;
    if (round && typeof v === 'number') v = round(v);
    switch (convertTo) {
      case 'int':
        return toInt(column, v);
      case 'float':
        return toFloat(column, v);
      case 'str':
        return v == null ? v : String(v);
      default:
        return v;
    }
  };
}

/**
 * Rounding to `places` decimals, halves up (Math.round, not Python's ties to even): a
 * number with no digits that far (|x| * 10^places beyond 2^53, or places past 308
 * where 10^places is Infinity) is already rounded and stays as it is, as Python's
 * round() leaves it, not NaN or Infinity.
 */
function roundTo(places: number): (x: number) => number {
  const f = 10 ** places;
  return (x) => {
    const scaled = x * f;
    return Math.abs(scaled) < 2 ** 53 ? Math.round(scaled) / f : x;
  };
}

function toInt(column: string, v: unknown): unknown {
  if (v == null) return v;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw conversionError(column, 'int', v);
  return roundHalfEven(n);
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return (r - x === 0.5 && r % 2 !== 0 ? r - 1 : r) + 0; // + 0: no -0
}

function toFloat(column: string, v: unknown): unknown {
  if (v == null) return v;
  const n = typeof v === 'number' ? v : Number(v);
  if (Number.isNaN(n)) throw conversionError(column, 'float', v);
  return n;
}

function conversionError(column: string, to: string, v: unknown): TabsynthError {
  return new TabsynthError(
    ErrorCodes.GENERATOR_FAILED,
    `column '${column}': convert_to ${to} expected a number, found ${JSON.stringify(v)}`,
    { column },
  );
}
