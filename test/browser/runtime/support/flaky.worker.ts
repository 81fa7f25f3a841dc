/**
 * A compute-like worker for the pool tests. Its behaviour comes from its name:
 * 'hang' never answers `work`, 'crash' throws an uncaught error, 'ok' answers.
 */
import * as Comlink from 'comlink';

export interface FlakyApi {
  work(x: number): Promise<{ x: number; by: string; buffer: ArrayBuffer }>;
}

const mode = self.name;

const api: FlakyApi = {
  work(x) {
    if (mode === 'hang') return new Promise(() => undefined);
    if (mode === 'crash') {
      setTimeout(() => {
        throw new Error('worker crashed on purpose');
      });
      return new Promise(() => undefined);
    }
    const buffer = new Float64Array([x * 2]).buffer;
    return Promise.resolve(Comlink.transfer({ x: x * 2, by: mode, buffer }, [buffer]));
  },
};

Comlink.expose(api);
