import { BackendUnavailableError, type BackendId, type BackendProvider } from '@robustfair/spec';
import { registerGradients } from './register-gradients.js';

export type BackendChoice = BackendId | 'auto';

/** Every backend id, in the order `auto` tries the built-in providers. */
export const backendIds: readonly BackendId[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/** The threads a backend's own kernels run on, and why not more when that was not by choice. */
export interface BackendThreadsStatus {
  readonly threads: number;
  readonly note?: string;
  /** wasm: which build of the kernels runs, `relaxed` SIMD (fused multiply-add) or `plain` SIMD. */
  readonly simd?: 'relaxed' | 'plain';
}

/**
 * A backend provider as selection takes it: one that starts threads of its own (wasm, from
 * `@robustfair/backend-wasm`) says how many once it is active.
 */
export interface SelectableBackendProvider extends BackendProvider {
  threadsStatus?(): BackendThreadsStatus | undefined;
}

/** Which backend is active, and why each other one was not taken. */
export interface BackendSelection {
  readonly active: BackendId;
  readonly skipped: Readonly<Partial<Record<BackendId, string>>>;
  /** wasm only: the threads our kernels run on, and why not more when that was not by choice. */
  readonly wasmThreads?: BackendThreadsStatus;
}

/** Adds what the active wasm backend was started with (threads) to a selection. */
function withThreads(selection: BackendSelection, provider: SelectableBackendProvider): BackendSelection {
  const status = provider.id === 'wasm' ? provider.threadsStatus?.() : undefined;
  return status ? { ...selection, wasmThreads: status } : selection;
}

/** `ROBUSTFAIR_BACKEND` where there is a process environment (Node); nothing in a browser. */
function backendFromEnvironment(): BackendChoice | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env['ROBUSTFAIR_BACKEND'];
  return (value as BackendChoice | undefined) || undefined;
}

/**
 * Activates one of `providers`, which the caller hands in (the composition root: the runner's
 * `builtinBackendProviders`, or `[cpuBackendProvider]` in a test). `auto` (the default) tries
 * them by priority; an explicit id, from the argument or else `ROBUSTFAIR_BACKEND`, must be among
 * them and available, or this throws saying why.
 */
export async function selectBackend(choice: BackendChoice | undefined, providers: readonly SelectableBackendProvider[]): Promise<BackendSelection> {
  await registerGradients(); // training and attacks need them on every backend
  const wanted = choice ?? backendFromEnvironment() ?? 'auto';
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
    return withThreads({ active: provider.id, skipped }, provider);
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
    return withThreads({ active: provider.id, skipped }, provider);
  }
  throw new BackendUnavailableError('auto', Object.entries(skipped).map(([id, why]) => `${id}: ${why}`).join('; '));
}
