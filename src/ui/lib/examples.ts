/**
 * The example gallery: ready pipelines from examples/, bundled as text (Vite
 * `?raw`) so they work offline. Each runs on the simulated provider.
 */
import productReviews from '../../../examples/product-reviews.yaml?raw';
import reviewJudge from '../../../examples/review-judge.yaml?raw';
import supportDialogues from '../../../examples/support-dialogues.yaml?raw';
import textToSql from '../../../examples/text-to-sql.yaml?raw';
import patientNotes from '../../../examples/patient-notes.yaml?raw';
import codeJudge from '../../../examples/code-judge.yaml?raw';
import statistical from '../../../examples/statistical.yaml?raw';

export interface Example {
  /** Stable id (the file's name without .yaml). */
  id: string;
  title: string;
  description: string;
  /** Column types it shows off. */
  tags: string[];
  /** The YAML text. */
  text: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'product-reviews',
    title: 'Product reviews',
    description: 'Samplers feed an LLM review and title through templates.',
    tags: ['sampler', 'expression', 'llm-text'],
    text: productReviews,
  },
  {
    id: 'review-judge',
    title: 'Reviews with a judge',
    description: 'Reviews by synthetic people, scored for helpfulness and consistency.',
    tags: ['person', 'llm-text', 'llm-judge'],
    text: reviewJudge,
  },
  {
    id: 'support-dialogues',
    title: 'Support dialogues',
    description: 'Customers, issues by area, chat transcripts and a structured resolution.',
    tags: ['subcategory', 'datetime', 'llm-structured'],
    text: supportDialogues,
  },
  {
    id: 'text-to-sql',
    title: 'Text to SQL',
    description: 'Analyst questions, SQLite answers and a syntax check of each query.',
    tags: ['llm-code', 'validation'],
    text: textToSql,
  },
  {
    id: 'patient-notes',
    title: 'Patient notes',
    description: 'Synthetic patients, vitals and visit dates, and a clinical note.',
    tags: ['person', 'timedelta', 'llm-text'],
    text: patientNotes,
  },
  {
    id: 'code-judge',
    title: 'Code with a code judge',
    description: 'Python exercises, solutions, a syntax check and a reviewer’s scores.',
    tags: ['llm-code', 'validation', 'llm-judge'],
    text: codeJudge,
  },
  {
    id: 'statistical',
    title: 'Statistical table',
    description: 'Ten sampler and expression columns with a constraint; no model calls.',
    tags: ['sampler', 'scipy', 'constraint'],
    text: statistical,
  },
];
