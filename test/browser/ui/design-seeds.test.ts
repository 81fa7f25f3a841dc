/**
 * Each design keeps its own seed dataset file: a file picked for one design shows
 * only there; opening another design shows that design's file (or none), and going
 * back shows the first one's again. A stored run's config opens with the run's file;
 * deleting a design drops its file, and Undo brings the file back with it. A file
 * picked for one design stays that design's when another is opened while it is read.
 */
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-svelte';
import SeedPanel from '../../../src/ui/components/SeedPanel.svelte';
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

// The real reader, held back while `hold.read` is pending (open otherwise).
const hold = vi.hoisted(() => ({ read: Promise.resolve() }));
vi.mock(import('../../../src/core/seed/read.ts'), async (original) => {
  const { readSeedDataset } = await original();
  return {
    readSeedDataset: async (...args: Parameters<typeof readSeedDataset>) => {
      await hold.read;
      return readSeedDataset(...args);
    },
  };
});

const COLUMNS = { columns: [{ name: 'city', column_type: 'seed-dataset' }] };
const CITIES = 'city,country\nLyon,FR\nOsaka,JP\nLima,PE\n';
const bytes = (text: string) => new TextEncoder().encode(text);

async function setup() {
  const design = new Design(new MemoryStorage());
  design.load(COLUMNS, 'Cities');
  const screen = await render(SeedPanel, { design });
  const input = screen.container.querySelector<HTMLInputElement>('input[type=file]')!;
  await userEvent.upload(input, new File([CITIES], 'cities.csv', { type: 'text/csv' }));
  await expect.element(screen.getByText('cities.csv', { exact: true })).toBeVisible();
  await expect.element(screen.getByText(/rows ×/)).toHaveTextContent('3 rows × 2 columns');
  return { design, screen, cities: design.designId };
}

describe('each design keeps its own seed file', () => {
  it('another design does not show the seed file; going back shows it again', async () => {
    const { design, screen, cities } = await setup();
    design.newDesign();
    expect(design.seedFile).toBeNull();
    await expect.element(screen.getByText('cities.csv', { exact: true })).not.toBeInTheDocument();
    await expect.element(screen.getByText(/rows ×/)).not.toBeInTheDocument();
    expect(design.seedFileCopy()).toBeNull();

    design.openDesign(cities);
    await expect.element(screen.getByText('cities.csv', { exact: true })).toBeVisible();
    await expect.element(screen.getByText(/rows ×/)).toHaveTextContent('3 rows × 2 columns');
    expect(design.seedFileCopy()?.name).toBe('cities.csv');
  });

  it("a stored run's config opens with the run's file, read; the design before keeps its own", async () => {
    const { design, screen, cities } = await setup();
    design.load(COLUMNS, 'From a run', { name: 'towns.csv', bytes: bytes('city\nGhent\nBern\n') });
    await expect.element(screen.getByText('towns.csv', { exact: true })).toBeVisible();
    await expect.element(screen.getByText(/rows ×/)).toHaveTextContent('2 rows × 1 columns');
    expect(design.seedDataset?.values.get('city')).toEqual(['Ghent', 'Bern']);

    design.openDesign(cities);
    await expect.element(screen.getByText('cities.csv', { exact: true })).toBeVisible();
    expect(design.seedDataset?.values.get('city')).toEqual(['Lyon', 'Osaka', 'Lima']);
  });

  it('deleting a design drops its seed file; Undo brings it back with the design', async () => {
    const { design, screen, cities } = await setup();
    const removed = design.deleteDesign(cities)!;
    expect(design.designs.map((e) => e.id)).not.toContain(cities);
    expect(design.seedFile).toBeNull();
    await expect.element(screen.getByText('cities.csv', { exact: true })).not.toBeInTheDocument();

    design.restoreDesign(removed);
    expect(design.designId).toBe(cities);
    await expect.element(screen.getByText('cities.csv', { exact: true })).toBeVisible();
    await expect.element(screen.getByText(/rows ×/)).toHaveTextContent('3 rows × 2 columns');
  });

  it('a file picked for one design stays with it when another design opens while it is read', async () => {
    const { design, screen, cities } = await setup();
    let release!: () => void;
    hold.read = new Promise((resolve) => (release = resolve));
    onTestFinished(() => {
      hold.read = Promise.resolve();
    });
    const input = screen.container.querySelector<HTMLInputElement>('input[type=file]')!;
    await userEvent.upload(input, new File(['town\nGhent\n'], 'towns.csv', { type: 'text/csv' }));
    await expect.poll(() => design.seedFile?.name).toBe('towns.csv');
    expect(design.seedDataset).toBeNull();

    design.newDesign();
    release();
    await expect.element(screen.getByText('Choose seed file')).toBeVisible();
    expect(design.seedFile).toBeNull();
    expect(design.get('seed_config')).toBeUndefined();

    design.openDesign(cities);
    await expect.element(screen.getByText(/rows ×/)).toHaveTextContent('1 rows × 1 columns');
    expect(design.seedDataset?.values.get('town')).toEqual(['Ghent']);
    expect(design.get('seed_config.source.path')).toBe('towns.csv');
  });
});
