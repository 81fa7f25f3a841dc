/**
 * The designer's sections count the config issues they show, by the same rule the
 * issue list opens them by: a model's issue counts under Models and opens Models; a
 * run setting's or a constraint's counts under Processors & settings and opens it.
 */
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import IssueList from '../../../src/ui/components/IssueList.svelte';
import SectionNav from '../../../src/ui/components/SectionNav.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

const CONFIG = {
  columns: [
    { name: 'n', column_type: 'sampler', sampler_type: 'uniform', params: { low: 0, high: 1 } },
  ],
  model_configs: [{ alias: 'm', model: 'x', provider: 'nowhere' }],
  constraints: [{ target_column: 'n', operator: 'lt', rhs: 2, constraint_type: 'nonsense' }],
  run: { num_records: -1 },
};

describe('the designer sections', () => {
  it('count the issues each shows, and an issue in the list opens the section it counts in', async () => {
    const design = new Design(new MemoryStorage());
    design.load(CONFIG);
    const paths = design.issues.map((i) => i.path);
    expect(paths.some((p) => p.startsWith('model_configs[0]'))).toBe(true);
    expect(paths.some((p) => p.startsWith('run.'))).toBe(true);
    expect(paths.some((p) => p.startsWith('constraints[0]'))).toBe(true);
    const models = paths.filter((p) => p.startsWith('model_')).length;
    const processors = paths.filter((p) => /^(run|constraints)\b/.test(p)).length;
    expect(models + processors).toBe(paths.length);

    const nav = await render(SectionNav, { design });
    const section = (name: string) => nav.getByRole('button', { name: new RegExp(`^${name}`) });
    await expect.element(section('Models')).toHaveTextContent(`Models ${models}`);
    await expect
      .element(section('Processors & settings'))
      .toHaveTextContent(`Processors & settings ${processors}`);
    await expect.element(section('Seed data')).toHaveTextContent(/^Seed data$/);

    // The list names each issue by its path first.
    const list = await render(IssueList, { design });
    const issue = (prefix: string) => {
      const path = paths.find((p) => p.startsWith(prefix))!;
      return list.getByRole('button', { name: path }).first();
    };
    await userEvent.click(issue('model_'));
    await expect.element(section('Models')).toHaveAttribute('aria-current', 'page');
    await userEvent.click(issue('run.'));
    await expect.element(section('Processors & settings')).toHaveAttribute('aria-current', 'page');
  });
});
