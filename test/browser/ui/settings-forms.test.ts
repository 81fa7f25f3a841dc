/**
 * Issue 9, the app says each fact once: the sampler forms and the run settings
 * show the fields and defaults of the core's definitions (read-samplers.ts,
 * DEFAULT_RUN_CONFIG), not copies of them.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-svelte';
import { readSamplerParams } from '../../../src/core/config/read-samplers.ts';
import { Fields } from '../../../src/core/config/reader.ts';
import {
  DATETIME_UNITS,
  DEFAULT_RUN_CONFIG,
  SAMPLER_TYPES,
  type SamplerType,
} from '../../../src/core/config/types.ts';
import type { ConfigIssue } from '../../../src/core/errors.ts';
import ProcessorsPanel from '../../../src/ui/components/ProcessorsPanel.svelte';
import RunPanel from '../../../src/ui/components/RunPanel.svelte';
import SamplerForm from '../../../src/ui/components/SamplerForm.svelte';
import { defaultSamplerParams } from '../../../src/ui/state/defaults.ts';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { RUN_FIELDS } from '../../../src/ui/state/run-fields.ts';
import { samplerFields } from '../../../src/ui/state/sampler-fields.ts';
import { Session } from '../../../src/ui/state/session.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

/** What the core reads from `params` for `type`, with the issues it finds. */
function coreRead(type: SamplerType, params: Record<string, unknown>) {
  const issues: ConfigIssue[] = [];
  const read = readSamplerParams(type, Fields.of(params, 'params', issues)!);
  return { read: read as unknown as Record<string, unknown>, issues };
}

function designWith(sampler: SamplerType): Design {
  const d = new Design(new MemoryStorage());
  d.load({
    columns: [
      {
        name: 'parent',
        column_type: 'sampler',
        sampler_type: 'category',
        params: { values: ['x'] },
      },
      {
        name: 'drawn',
        column_type: 'sampler',
        sampler_type: sampler,
        params: defaultSamplerParams(sampler, ['parent']),
      },
    ],
  });
  return d;
}

describe('issue 9: sampler forms from the core', () => {
  it('every sampler form has a field for each param the core reads, and marks required what the core requires', () => {
    for (const type of SAMPLER_TYPES) {
      const fields = samplerFields(type);
      const { read } = coreRead(type, defaultSamplerParams(type, ['parent']));
      const keys = Object.keys(read).filter((k) => k !== 'sampler_type');
      expect(fields.map((f) => f.key).sort(), type).toEqual(keys.sort());
      for (const f of fields) {
        const without = { ...defaultSamplerParams(type, ['parent']) };
        delete without[f.key];
        const missing = coreRead(type, without).issues.some((i) => i.path === `params.${f.key}`);
        expect(missing, `${type}.${f.key} required`).toBe(f.required === true);
      }
    }
  });

  it("an empty optional field's placeholder is the core's default (datetime unit D, uuid short form off)", async () => {
    const datetime = await render(SamplerForm, { design: designWith('datetime'), index: 1 });
    const unit = datetime.getByLabelText('Unit');
    await expect.element(unit).toHaveValue('');
    const options = [...(unit.element() as HTMLSelectElement).options].map((o) => o.text);
    expect(options).toEqual([
      `(default: ${coreRead('datetime', { start: '2024-01-01', end: '2025-01-01' }).read['unit']})`,
      ...DATETIME_UNITS,
    ]);
    datetime.unmount();

    const uuid = await render(SamplerForm, { design: designWith('uuid'), index: 1 });
    await expect.element(uuid.getByText('default off').first()).toBeVisible();
    await expect
      .element(uuid.getByLabelText('Prefix'))
      .toHaveAttribute('placeholder', 'default: none');
    uuid.unmount();

    const person = await render(SamplerForm, { design: designWith('person'), index: 1 });
    await expect
      .element(person.getByLabelText('Age range'))
      .toHaveAttribute('placeholder', 'default: 18, 114');
  });

  it('a subcategory form offers the other columns as its parent', async () => {
    const screen = await render(SamplerForm, { design: designWith('subcategory'), index: 1 });
    const parent = screen.getByLabelText(/^Parent column/);
    await expect.element(parent).toHaveValue('parent');
    const options = [...(parent.element() as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toContain('parent');
    expect(options).not.toContain('drawn');
  });
});

describe('issue 9: run settings from the core', () => {
  it('the settings form has one field per run setting, each showing the core default', async () => {
    expect(RUN_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(DEFAULT_RUN_CONFIG).sort());
    const d = new Design(new MemoryStorage());
    d.load({ columns: [] });
    const screen = await render(ProcessorsPanel, { design: d });
    await expect
      .element(screen.getByLabelText('Buffer size'))
      .toHaveAttribute('placeholder', `default: ${DEFAULT_RUN_CONFIG.buffer_size}`);
    await expect
      .element(screen.getByLabelText('Tasks in flight'))
      .toHaveAttribute('placeholder', `default: ${DEFAULT_RUN_CONFIG.max_in_flight_tasks}`);
    await expect
      .element(screen.getByLabelText('Conversation restarts'))
      .toHaveAttribute('placeholder', `default: ${DEFAULT_RUN_CONFIG.max_conversation_restarts}`);
  });

  it("the Run panel's fields show the config's settings, else the core's defaults", async () => {
    const d = new Design(new MemoryStorage());
    d.load({
      columns: [
        { name: 'a', column_type: 'sampler', sampler_type: 'uniform', params: { low: 0, high: 1 } },
      ],
      run: { num_records: 250 },
    });
    const session = new Session(() => Promise.reject(new Error('no engine here')), null);
    const screen = await render(RunPanel, { design: d, session });
    await expect
      .element(screen.getByLabelText('Rows', { exact: true }))
      .toHaveAttribute('placeholder', '250');
    await expect
      .element(screen.getByLabelText('Buffer size'))
      .toHaveAttribute('placeholder', String(DEFAULT_RUN_CONFIG.buffer_size));
    await expect
      .element(screen.getByLabelText('Row groups at once'))
      .toHaveAttribute('placeholder', String(DEFAULT_RUN_CONFIG.max_concurrent_row_groups));
  });
});
