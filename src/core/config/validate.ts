/**
 * validateConfig: an untyped document (parsed YAML or JSON) to a typed config with
 * every default applied, or every problem at once, each with its path and what
 * was expected and found (SPEC 1). Nothing runs until a config is valid.
 */
import { readableIssue, type ConfigIssue } from '../errors.ts';
import { castSkipValue } from '../generators/expression.ts';
import { analyzeGraph } from '../graph/graph.ts';
import { conditionPath, conditionTemplate, parseField } from '../graph/references.ts';
import { templateReferences } from '../template/references.ts';
import type { ParsedTemplate } from '../template/template.ts';
import { withDefaultProviders } from './default-providers.ts';
import { readColumn } from './read-columns.ts';
import { readModelConfig, readModelProvider } from './read-models.ts';
import { readConstraint, readProcessor, readRun, readSeedConfig } from './read-sections.ts';
import { Fields, describe, isObject, quoteList } from './reader.ts';
import type { ColumnConfig, DataDesignerConfig, ExpressionColumnConfig } from './types.ts';

export type ValidationResult =
  { ok: true; config: DataDesignerConfig; order: string[] } | { ok: false; issues: ConfigIssue[] };

/** Checks a parsed document, which may be wrapped as `{ data_designer: {...} }`. */
export function validateConfig(raw: unknown): ValidationResult {
  const issues: ConfigIssue[] = [];
  const root = unwrap(raw, issues);
  if (!root) return { ok: false, issues };
  const config = withDefaultProviders(readRoot(root, issues));
  const cache = new Map<string, ParsedTemplate | null>();
  // Checks across sections see the typed config, whose paths start at its root:
  // in a wrapped document they are under `data_designer`, as the readers' are.
  const across: ConfigIssue[] = [];
  crossCheck(config, across, cache);
  const { graph, issues: graphIssues } = analyzeGraph(config, cache);
  across.push(...graphIssues);
  for (const issue of across) root.issue(issue.path, issue.message);
  if (issues.length > 0) return { ok: false, issues: dedupe(issues) };
  return { ok: true, config, order: graph.order };
}

/** Keys tabsynth accepts beside `data_designer` in a wrapped document. */
const WRAPPER_EXTRAS = ['model_providers', 'run'];

function unwrap(raw: unknown, issues: ConfigIssue[]): Fields | undefined {
  if (!isObject(raw) || !('data_designer' in raw)) {
    return Fields.of(raw, '', issues, 'a config object with columns');
  }
  const outer = new Fields(raw, '', issues);
  // Only read as a version: anything else (a list holding itself through a YAML
  // alias) would pass untouched into what keeps the document as written.
  const version = outer.raw('library_version');
  if (version != null && typeof version !== 'string' && typeof version !== 'number') {
    outer.issue(
      'library_version',
      `expected a version such as '0.5.0', found ${describe(version)}`,
    );
  }
  const inner = outer.object('data_designer');
  if (!inner) return undefined;
  for (const key of WRAPPER_EXTRAS) {
    const v = outer.raw(key);
    if (v === undefined) continue;
    if (inner.has(key))
      outer.issue(key, `'${key}' is given both here and under data_designer; expected it once`);
    else inner.obj[key] = v;
  }
  outer.end();
  return new Fields(inner.obj, 'data_designer', issues);
}

function readRoot(f: Fields, issues: ConfigIssue[]): DataDesignerConfig {
  f.refuse('tool_configs', 'tool_configs (MCP tools) are not supported in a browser; remove them');
  f.refuse(
    'profilers',
    'profilers are not supported; tabsynth profiles every column of a run itself',
  );
  const list = <T>(
    key: string,
    read: (raw: unknown, path: string, i: number) => T | undefined,
  ): T[] =>
    (f.list(key, key === 'columns', key === 'columns' ? { minLength: 1 } : {}) ?? []).flatMap(
      (item, i) => {
        const v = read(item, `${f.at(key)}[${i}]`, i);
        return v === undefined ? [] : [v];
      },
    );
  const config: DataDesignerConfig = {
    columns: list('columns', (r, p) => readColumn(r, p, issues)),
    model_configs: list('model_configs', (r, p) => readModelConfig(r, p, issues)),
    model_providers: list('model_providers', (r, p) => readModelProvider(r, p, issues)),
    seed_config: readSeedConfig(f),
    constraints: list('constraints', (r, p) => readConstraint(r, p, issues)),
    processors: list('processors', (r, p, i) => readProcessor(r, p, i, issues)),
    run: readRun(f),
  };
  f.end();
  return config;
}

/** Rules across sections: unique names, model aliases and providers, seed columns, subcategories. */
function crossCheck(
  config: DataDesignerConfig,
  issues: ConfigIssue[],
  cache: Map<string, ParsedTemplate | null>,
): void {
  const at = (i: number) => `columns[${i}]`;
  unique(
    config.columns.map((c) => c.name),
    (i) => `${at(i)}.name`,
    'column name',
    issues,
  );
  unique(
    config.model_configs.map((m) => m.alias),
    (i) => `model_configs[${i}].alias`,
    'model alias',
    issues,
  );
  unique(
    config.model_providers.map((p) => p.name),
    (i) => `model_providers[${i}].name`,
    'provider name',
    issues,
  );
  unique(
    config.processors.map((p) => p.name),
    (i) => `processors[${i}].name`,
    'processor name',
    issues,
  );

  const providers = config.model_providers.map((p) => p.name);
  config.model_configs.forEach((m, i) => {
    if (m.provider !== '' && !providers.includes(m.provider)) {
      issues.push({
        path: `model_configs[${i}].provider`,
        message: `model '${m.alias}' names provider '${m.provider}', which is not in model_providers; expected one of ${quoteList(providers) || '(none defined: add it under model_providers)'}`,
      });
    }
  });
  const models = new Map(config.model_configs.map((m) => [m.alias, m]));
  const providerOf = new Map(config.model_providers.map((p) => [p.name, p]));
  const byName = new Map(config.columns.map((c) => [c.name, c]));
  config.columns.forEach((c, i) => {
    checkModel(c, i, models, issues);
    checkEmbeddingProvider(c, i, models, providerOf, issues);
    if (c.skip !== null && (c.column_type === 'sampler' || c.column_type === 'seed-dataset')) {
      issues.push({
        path: `${at(i)}.skip`,
        message: `expected no skip on a ${c.column_type} column (they are generated as one block), found a skip`,
      });
    } else if (c.skip !== null && c.skip.when !== '') {
      if (c.column_type === 'expression') checkSkipValue(c, `${at(i)}.skip.value`, issues);
      checkConditionShape(c.skip.when, `${at(i)}.skip.when`, issues);
      const parsed = parseField({ source: c.skip.when, path: `${at(i)}.skip.when` }, issues, cache);
      if (parsed && templateReferences(parsed).length === 0) {
        issues.push({
          path: `${at(i)}.skip.when`,
          message: `expected a condition over columns in {{ }}, e.g. '{{ in_stock == 0 }}', found '${c.skip.when}', which reads no column`,
        });
      }
    }
    if (c.column_type === 'seed-dataset' && config.seed_config === null) {
      issues.push({
        path: `${at(i)}.column_type`,
        message: `seed-dataset column '${c.name}' needs a seed_config; expected seed_config with a source file, found none`,
      });
    }
    if (c.column_type === 'sampler') {
      for (const key of Object.keys(c.conditional_params)) {
        checkConditionShape(key, conditionPath(at(i), key), issues);
      }
      if (c.sampler_type === 'subcategory') {
        checkSubcategory(c.params.category, c.params.values, i, byName, issues);
      }
    }
  });
}

function checkModel(
  c: ColumnConfig,
  i: number,
  models: Map<string, DataDesignerConfig['model_configs'][number]>,
  issues: ConfigIssue[],
): void {
  if (!('model_alias' in c) || c.model_alias === '') return;
  const path = `columns[${i}].model_alias`;
  const model = models.get(c.model_alias);
  if (!model) {
    issues.push({
      path,
      message: `column '${c.name}' uses model alias '${c.model_alias}', which is not in model_configs; expected one of ${quoteList([...models.keys()]) || '(none defined: add it under model_configs)'}`,
    });
    return;
  }
  const wants = c.column_type === 'embedding' ? 'embedding' : 'chat-completion';
  const has = model.inference_parameters.generation_type;
  if (wants !== has) {
    issues.push({
      path,
      message: `column '${c.name}' (${c.column_type}) needs ${article(wants)} model, found '${c.model_alias}', ${article(has)} model`,
    });
  }
}

/** Anthropic's API has no embeddings: an embedding column on an anthropic provider is refused by name. */
function checkEmbeddingProvider(
  c: ColumnConfig,
  i: number,
  models: Map<string, DataDesignerConfig['model_configs'][number]>,
  providers: Map<string, DataDesignerConfig['model_providers'][number]>,
  issues: ConfigIssue[],
): void {
  if (c.column_type !== 'embedding') return;
  const model = models.get(c.model_alias);
  const provider = model === undefined ? undefined : providers.get(model.provider);
  if (provider?.provider_type !== 'anthropic') return;
  issues.push({
    path: `columns[${i}].model_alias`,
    message: `embedding column '${c.name}' uses provider '${provider.name}' (anthropic), which has no embeddings API; use an openai or simulated provider`,
  });
}

function checkSubcategory(
  parentName: string,
  values: Record<string, unknown>,
  i: number,
  byName: Map<string, ColumnConfig>,
  issues: ConfigIssue[],
): void {
  const parent = byName.get(parentName);
  if (!parent) return; // the graph reports the unknown name
  if (parent.column_type !== 'sampler' || parent.sampler_type !== 'category') {
    const kind =
      parent.column_type === 'sampler'
        ? `a ${parent.sampler_type} sampler`
        : `a ${parent.column_type} column`;
    issues.push({
      path: `columns[${i}].params.category`,
      message: `expected a category sampler column as the parent, found '${parentName}', ${kind}`,
    });
    return;
  }
  const missing = parent.params.values.map(String).filter((v) => !Object.hasOwn(values, v));
  if (missing.length > 0) {
    issues.push({
      path: `columns[${i}].params.values`,
      message: `expected subcategory values for every value of '${parentName}', missing ${quoteList(missing)}`,
    });
  }
}

function unique(
  names: string[],
  path: (i: number) => string,
  what: string,
  issues: ConfigIssue[],
): void {
  const first = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') return;
    const j = first.get(name);
    if (j === undefined) first.set(name, i);
    else
      issues.push({
        path: path(i),
        message: `duplicate ${what} '${name}'; it is also at ${path(j)}`,
      });
  });
}

/** The issues without repeats, long quoted names shortened. */
function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.map(readableIssue).filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function article(kind: string): string {
  return `${/^([aeiou]|llm)/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/**
 * A condition is one `{{ }}` tag with nothing around it (or bare, or a `{% %}` block):
 * text outside the tag renders beside the value ('b == 1 }}' renders 'False }}'), and
 * any text but false, 0, none or empty counts as true, so the condition held for every row.
 */
function checkConditionShape(source: string, path: string, issues: ConfigIssue[]): void {
  const template = conditionTemplate(source).trim();
  if (template.includes('{%') || /^\{\{((?!\{\{|\}\})[\s\S])*\}\}$/.test(template)) return;
  issues.push({
    path,
    message: `expected one condition in {{ }} with nothing around it, e.g. '{{ in_stock == 0 }}', found '${source}', which would hold for every row`,
  });
}

/** An expression column's skip.value must convert to its dtype (SPEC 1). */
function checkSkipValue(c: ExpressionColumnConfig, path: string, issues: ConfigIssue[]): void {
  try {
    castSkipValue(c.name, c.dtype, c.skip?.value);
  } catch (err) {
    issues.push({ path, message: (err as Error).message });
  }
}
