import { ConfigError, ErrorCodes, TabsynthError } from '../../errors.ts';
import { codeLangSupport, codeValidator } from '../../generators/validation/code.ts';
import { validationGenerator, type ValidatorKind } from '../../generators/validation/column.ts';
import { jsonSchemaValidator } from '../../generators/validation/json-schema.ts';
import { regexValidator } from '../../generators/validation/regex.ts';
import { remoteValidator } from '../../generators/validation/remote.ts';
import type { ValidationColumnConfig } from '../types.ts';
import type { ColumnCompileContext, ColumnCompiler } from './context.ts';

/** `validation`: one whole-column generator over the column's validator (generators/validation/). */
export const compileValidation: ColumnCompiler<ValidationColumnConfig> = (column, ctx) =>
  validationGenerator({
    name: column.name,
    upstream: ctx.upstream,
    targetColumns: column.target_columns,
    batchSize: column.batch_size,
    validator: validatorOf(column, ctx),
  });

function validatorOf(column: ValidationColumnConfig, ctx: ColumnCompileContext): ValidatorKind {
  const params = column.validator_params;
  const where = ctx.where;
  switch (params.validator_type) {
    case 'code': {
      const support = codeLangSupport(params.code_lang);
      if (support === 'unsupported' || (support === 'loader' && !ctx.grammars)) {
        const why =
          support === 'unsupported'
            ? `this build has no syntax checker for code_lang '${params.code_lang}'`
            : `checking code_lang '${params.code_lang}' needs grammar files, and this host provides none`;
        throw new ConfigError(
          [
            {
              path: `${where}.validator_params.code_lang`,
              message: `column '${column.name}': ${why}`,
            },
          ],
          ErrorCodes.CONFIG_UNSUPPORTED,
        );
      }
      return { kind: 'value', validator: codeValidator(params.code_lang, ctx.grammars) };
    }
    case 'regex':
      return { kind: 'value', validator: regexValidator(params, where) };
    case 'json_schema':
      return { kind: 'value', validator: jsonSchemaValidator(params.schema, where) };
    case 'remote':
      return {
        kind: 'rows',
        validator: remoteValidator({ params, where, fetch: ctx.fetch, clock: ctx.clock }),
      };
    default:
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `column '${column.name}': unknown validator_type ${JSON.stringify((params as { validator_type: unknown }).validator_type)}`,
      );
  }
}
