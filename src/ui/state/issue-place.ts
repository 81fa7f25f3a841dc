/**
 * Where a config issue shows in the designer, read from its path: an issue of a
 * column in that column's editor (of the column list, under Columns), a model's or provider's under Models, the seed
 * config's under Seed data, everything else (processors, constraints, run settings,
 * the root) under Processors & settings. The one rule the issue list and the
 * sections' issue counts share.
 */
import type { ConfigIssue } from '../../core/errors.ts';
import type { DesignSection } from './route.svelte.ts';
import { isUnder } from './paths.ts';

/** The designer section an issue shows in, and its column when it is a column's. */
export interface IssuePlace {
  section: DesignSection;
  /** The column's index, for an issue under `columns[i]`. */
  column?: number;
}

/** Where the issue at `path` (as validateConfig reports it) shows. */
export function issuePlace(path: string): IssuePlace {
  if (isUnder(path, 'columns')) {
    const m = /^columns\[(\d+)\]/.exec(path);
    return m ? { section: 'columns', column: Number(m[1]) } : { section: 'columns' };
  }
  if (isUnder(path, 'model_configs') || isUnder(path, 'model_providers')) {
    return { section: 'models' };
  }
  if (isUnder(path, 'seed_config')) return { section: 'seed' };
  return { section: 'processors' };
}

/** How many of `issues` show in each section. */
export function issuesPerSection(issues: readonly ConfigIssue[]): Record<DesignSection, number> {
  const counts: Record<DesignSection, number> = { columns: 0, models: 0, seed: 0, processors: 0 };
  for (const issue of issues) counts[issuePlace(issue.path).section]++;
  return counts;
}
