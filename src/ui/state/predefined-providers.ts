/**
 * Data Designer's predefined providers (nvidia, openai, openrouter) that a design's
 * models name without the design defining them: the core adds them at run time
 * (default-providers.ts), so the Providers panel shows them too, for their key.
 */
import { DATA_DESIGNER_PROVIDERS } from '../../core/config/default-providers.ts';
import type { RawObject } from './defaults.ts';

/**
 * The predefined providers `models` name and `providers` do not define, in order of
 * first use, as the provider entry the design gets once the user types its key
 * (its endpoint and type from Data Designer's defaults, no key).
 */
export function impliedProviders(providers: RawObject[], models: RawObject[]): RawObject[] {
  const defined = new Set(providers.map((p) => p['name']));
  const implied: RawObject[] = [];
  for (const m of models) {
    const name = m['provider'];
    const known = typeof name === 'string' ? DATA_DESIGNER_PROVIDERS.get(name) : undefined;
    if (known === undefined || defined.has(known.name)) continue;
    defined.add(known.name);
    implied.push({
      name: known.name,
      endpoint: known.endpoint,
      provider_type: known.provider_type,
    });
  }
  return implied;
}
