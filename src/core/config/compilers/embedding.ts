import { embeddingGenerator } from '../../generators/embedding.ts';
import type { EmbeddingColumnConfig } from '../types.ts';
import type { ColumnCompiler } from './context.ts';

/** `dimensions` comes from the alias's embedding inference parameters. */
export const compileEmbedding: ColumnCompiler<EmbeddingColumnConfig> = (column, ctx) => {
  const model = ctx.config.model_configs.find((m) => m.alias === column.model_alias);
  const params = model?.inference_parameters;
  return embeddingGenerator({
    name: column.name,
    upstream: ctx.upstream,
    targetColumn: column.target_column,
    binding: ctx.bindModel(column.model_alias),
    dimensions: params?.generation_type === 'embedding' ? params.dimensions : null,
  });
};
