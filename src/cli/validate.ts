/** `tabsynth validate CONFIG`: every problem with its path (exit 1), or "ok" and the column order. */
import { ConfigError } from '../core/errors.ts';
import { parseConfigText } from '../core/config/parse.ts';
import { validateConfig } from '../core/config/validate.ts';
import { formatHint, readConfigText } from './config-file.ts';
import type { Output } from './output.ts';

export async function validateCommand(path: string, output: Output): Promise<number> {
  let raw: unknown;
  try {
    raw = parseConfigText(await readConfigText(path), formatHint(path));
  } catch (err) {
    if (err instanceof ConfigError) return printIssues(path, err.issues, output);
    throw err;
  }
  const result = validateConfig(raw);
  if (!result.ok) return printIssues(path, result.issues, output);
  output.out('ok');
  output.out(`columns: ${result.order.join(', ')}`);
  return 0;
}

function printIssues(
  path: string,
  issues: readonly { path: string; message: string }[],
  output: Output,
): number {
  output.out(`${path}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`);
  for (const issue of issues) output.out(`  ${issue.path || '(root)'}: ${issue.message}`);
  return 1;
}
