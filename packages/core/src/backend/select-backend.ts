import { BackendUnavailableError, type BackendId, type BackendProvider } from '@robustfair/spec';
import { builtinBackendProviders } from './backend-providers.js';
import { registerGradients } from './register-gradients.js';
import { wasmThreadsStatus } from './wasm/wasm-backend-provider.js';

export type BackendChoice = BackendId | 'auto';

/** Which backend is active, and why each other one was not taken. */
export interface BackendSelection {
  readonly active: BackendId;
  readonly skipped: Readonly<Partial<Record<BackendId, string>>>;
  /** wasm only: the threads our kernels run on, and why not more when that was not by choice. */
  readonly wasmThreads?: { readonly threads: number; readonly note?: string };
}

/** Adds what the wasm backend was started with (threads) to a selection. */
function withThreads(selection: BackendSelection): BackendSelection {
  const status = selection.active === 'wasm' ? wasmThreadsStatus() : undefined;
  return status ? { ...selection, wasmThreads: status } : selection;
}

/**
 * Activates a backend. `auto` (the default) tries providers by priority; an explicit id, from
 * the argument or else `ROBUSTFAIR_BACKEND`, must be available or this throws saying why.
 */
export async function selectBackend(
  choice: BackendChoice | undefined = undefined,
  providers: readonly BackendProvider[] = builtinBackendProviders,
): Promise<BackendSelection> {
  await registerGradients(); // training and attacks need them on every backend
  const wanted = choice ?? ((process.env['ROBUSTFAIR_BACKEND'] as BackendChoice | undefined) || 'auto');
  const skipped: Partial<Record<BackendId, string>> = {};
  const ordered = [...providers].sort((a, b) => b.priority - a.priority);
  if (wanted !== 'auto') {
    const provider = ordered.find((candidate) => candidate.id === wanted);
    if (!provider) {
      throw new BackendUnavailableError(wanted, `unknown backend; known: ${ordered.map((p) => `'${p.id}'`).join(', ')}`);
    }
    const probe = await provider.probe();
    if (!probe.available) throw new BackendUnavailableError(wanted, probe.reason);
    await provider.activate();
    for (const other of ordered) if (other.id !== wanted) skipped[other.id] = `not requested (backend '${wanted}' was asked for)`;
    return withThreads({ active: provider.id, skipped });
  }
  for (const provider of ordered) {
    const probe = await provider.probe();
    if (!probe.available) {
      skipped[provider.id] = probe.reason;
      continue;
    }
    try {
      await provider.activate();
    } catch (error) {
      // auto falls through to the next provider, saying why this one was not taken
      skipped[provider.id] = `failed to activate: ${(error as Error).message}`;
      continue;
    }
    for (const later of ordered.slice(ordered.indexOf(provider) + 1)) skipped[later.id] = `lower priority than '${provider.id}'`;
    return withThreads({ active: provider.id, skipped });
  }
  throw new BackendUnavailableError('auto', Object.entries(skipped).map(([id, why]) => `${id}: ${why}`).join('; '));
}
