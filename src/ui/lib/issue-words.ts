/**
 * A config issue in the words the app shows it in. The core's messages are exact
 * for a file read by the command ("expected a non-empty string, found the string
 * ''"); in the designer the field is on screen, so an empty or missing field says
 * what to do ("Give the column a name"). Every other message is shown as written.
 */
import type { ConfigIssue } from '../../core/errors.ts';

/** A required value left empty: missing, or a blank string where one is needed. */
const EMPTY =
  /^(?:required; expected .+, found nothing|expected a non-empty string, found the string '\s*')$/;

/** What to do, by the (section, key) the empty value sits at. */
const WHAT_TO_DO: readonly { at: RegExp; words: string }[] = [
  { at: /^columns\[\d+\]\.name$/, words: 'Give the column a name' },
  { at: /^columns\[\d+\]\.model_alias$/, words: 'Choose the model this column uses' },
  { at: /^columns\[\d+\]\.prompt$/, words: 'Write the prompt' },
  { at: /^columns\[\d+\]\.expr$/, words: 'Write the expression' },
  { at: /^columns\[\d+\]\.column_type$/, words: 'Choose the column type' },
  { at: /^model_configs\[\d+\]\.alias$/, words: 'Give the model an alias' },
  { at: /^model_configs\[\d+\]\.model$/, words: 'Enter the model id the endpoint knows' },
  { at: /^model_configs\[\d+\]\.provider$/, words: 'Choose the model’s provider' },
  { at: /^model_providers\[\d+\]\.name$/, words: 'Give the provider a name' },
  { at: /^model_providers\[\d+\]\.endpoint$/, words: 'Enter the provider’s endpoint URL' },
];

/** The issue's message as the designer shows it. */
export function issueWords(issue: ConfigIssue): string {
  if (issue.path === 'columns' && /found a list of 0$/.test(issue.message))
    return 'Add a column to start';
  if (!EMPTY.test(issue.message)) return issue.message;
  const rule = WHAT_TO_DO.find((r) => r.at.test(issue.path));
  if (rule) return rule.words;
  const key = /([A-Za-z_]+)(?:\[\d+\])?$/.exec(issue.path)?.[1];
  return key ? `Fill in ${key.replace(/_/g, ' ')}` : issue.message;
}
