/**
 * The API keys typed this visit, by provider name, in any design (memory only: they
 * reach storage only when the user opts in, through the design's own document). A
 * design opened later gets them for its providers of the same name, and for a
 * predefined provider its models name (which joins the design with its key).
 */
import type { RawObject } from './defaults.ts';
import { listOf } from './column-edits.ts';
import { impliedProviders } from './predefined-providers.ts';

export class VisitKeys {
  readonly #keys = new Map<string, string>();

  /**
   * Takes the keys of `open` (the design open now): its providers' keys update this
   * visit's (a key cleared there is forgotten).
   */
  note(open: RawObject): void {
    for (const p of listOf(open, 'model_providers')) {
      const name = String(p['name']);
      if (typeof p['api_key'] === 'string' && p['api_key'] !== '')
        this.#keys.set(name, p['api_key']);
      else this.#keys.delete(name);
    }
  }

  /** `doc` (changed in place) with this visit's keys for its providers of the same name. */
  fill(doc: RawObject): RawObject {
    const providers = listOf(doc, 'model_providers');
    for (const p of providers) {
      const key = this.#keys.get(String(p['name']));
      if (key && (p['api_key'] === undefined || p['api_key'] === null)) p['api_key'] = key;
    }
    for (const p of impliedProviders(providers, listOf(doc, 'model_configs'))) {
      const key = this.#keys.get(String(p['name']));
      if (!key) continue;
      providers.push({ ...p, api_key: key });
      doc['model_providers'] = providers;
    }
    return doc;
  }
}
