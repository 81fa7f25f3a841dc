import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/core/errors.ts';
import { checkManifest } from '../../../src/core/storage/manifest-check.ts';

const manifest = (modelUsage?: unknown) => ({
  runId: 'r',
  config: {},
  configHash: 'h',
  seed: 1,
  numRecords: 1,
  bufferSize: 1,
  columns: [],
  committed: [],
  rowsWritten: 0,
  droppedRows: 0,
  firstErrors: [],
  status: 'complete',
  ...(modelUsage !== undefined ? { modelUsage } : {}),
  createdAt: 0,
  updatedAt: 0,
});

describe('3.10 the manifest keeps tokens and cost per model', () => {
  it('a stored manifest reads back with its usage per model; an older one without', () => {
    const usage = {
      'p/m': { label: 'p/m', requests: 3, tokensIn: 30, tokensOut: 60, costUsd: 0.002 },
      'p/n': { label: 'p/n', requests: 1, tokensIn: 5, tokensOut: 5 },
    };
    expect(checkManifest(manifest(usage), 'm', 2).modelUsage).toEqual(usage);
    expect(checkManifest(manifest(), 'm', 2).modelUsage).toBeUndefined();
  });

  it('a damaged usage record is named by its path', () => {
    const bad = { 'p/m': { label: 'p/m', requests: -1, tokensIn: 0, tokensOut: 0 } };
    expect(() => checkManifest(manifest(bad), 'm', 2)).toThrow(StoreError);
    expect(() => checkManifest(manifest(bad), 'm', 2)).toThrow(/modelUsage\.p\/m\.requests/);
  });
});
