import type { BackendChoice, BackendSelection, EpochRecord } from '@robustfair/core';
import type { Divergence, JsonValue } from '@robustfair/spec';
import type { Container } from 'inversify';
import type { Arm } from '../config/ablate.js';
import type { ArmEvaluation } from '../experiment-runner.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import type { PluginRecord } from '../results/plugin-hashes.js';

// The types every stage of a run shares (options, jobs, results), in a module of their own so
// that the stages, the worker pool and the result files import them without importing each other.

export interface RunOptions {
  /** Results root; an arm writes to `<out>/<name>/<label>/`. */
  readonly out: string;
  readonly reporter?: ProgressReporter;
  /** Overrides the spec's backend. */
  readonly backend?: BackendChoice;
  /** Print tables to this sink (stdout in the CLI). */
  readonly print?: (text: string) => void;
  /** Save each arm's model weights next to its results. */
  readonly saveWeights?: boolean;
  /**
   * Continue an interrupted run in the same `out`: finished arms (result.json) are reused,
   * unfinished ones continue from their last checkpoint. Without it, arms start afresh.
   */
  readonly resume?: boolean;
  /**
   * Arms trained at once, each in its own child process with its own container and backend (the
   * one selected here). Default 1: one after another in this process. Bounded by
   * `os.availableParallelism()` and by the arms left to train; teachers always train here first.
   */
  readonly workers?: number;
  /**
   * A teacher cache shared across runs and results directories (`<teacherCache>/<spec hash>/`:
   * weights and result): a trained teacher of the same spec, trained by the same code on the same
   * backend, is copied from there instead of being trained again, and a newly trained one is
   * stored there. Undefined: no shared cache (teachers are still reused within `out`). The CLI
   * passes `defaultTeacherCacheDirectory()` unless told otherwise.
   */
  readonly teacherCache?: string;
}

/** What an arm directory records at its start, so `train --resume DIR` needs nothing else. */
export interface ArmManifest {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly label: string;
  readonly configFile: string;
  /**
   * The results root the arm was started under. A record only: `train --resume DIR` continues
   * DIR itself, wherever it has been moved since.
   */
  readonly out: string;
  readonly specHash: string;
  readonly spec: Arm['spec'];
  /**
   * Set by `readArmManifest` when the directory was written by an older version whose spec
   * today's defaults only extend: the hash its checkpoints carry, accepted when resuming.
   */
  readonly previousSpecHash?: string;
}

/** One arm's result file (`result.json`): everything needed to reproduce and compare it. */
export interface ArmResult {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly label: string;
  readonly seed: number;
  readonly spec: Arm['spec'];
  readonly resolvedOptions: Record<string, { id: string; options: unknown }>;
  readonly versions: Record<string, string>;
  readonly backend: BackendSelection;
  /** The config's outside plugins: each module file and its SHA-256 (absent without plugins). */
  readonly plugins?: readonly PluginRecord[];
  readonly training: {
    readonly epochs: readonly EpochRecord[];
    readonly strategyState: JsonValue;
    readonly seconds: number;
    readonly stopped?: string;
    /** Training hit a non-finite loss or weight (`training.onNonFinite: 'stop'`): the evaluated weights are the last finite ones. */
    readonly diverged?: Divergence;
    /** Checkpoint selection scores and chosen epoch, weight-averaging updates. */
    readonly monitor?: unknown;
    /** For an imported teacher: the file its weights came from, and that file's SHA-256. */
    readonly imported?: string;
    readonly importedSha256?: string;
    /** The strategy's validation update before epoch 0 (FRL), with its statistics and state. */
    readonly initialUpdate?: unknown;
  };
  /** Where the arm, as configured, departs from its method's reference code (e.g. FRL without a hot start). */
  readonly deviations?: readonly string[];
  readonly evaluation: ArmEvaluation & { readonly seconds: number };
  /** The teacher this arm distilled from: its cache directory and its own robustness. */
  readonly teacher?: { readonly key: string; readonly directory: string; readonly evaluation: ArmEvaluation };
}

export interface ComparisonResult {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly field: string | null;
  readonly directory: string;
  readonly arms: readonly ArmResult[];
  /** Teachers trained for the arms (each once), with their robustness. */
  readonly teachers: readonly { readonly key: string; readonly directory: string; readonly evaluation: ArmEvaluation }[];
  /** E.g. a teacher that is not more robust than the best student trained without one. */
  readonly warnings: readonly string[];
}

/** What running an arm needs from its surroundings (this process, or a worker's own). */
export interface ArmContext {
  readonly root: Container;
  readonly reporter: ProgressReporter;
  readonly backend: BackendSelection;
  readonly name: string;
  readonly configFile: string;
  readonly options: RunOptions;
}

/** A trained (or cached) teacher: its arm directory holds weights.json/.bin and its result. */
export interface TeacherRecord {
  readonly key: string;
  readonly directory: string;
  readonly result: ArmResult;
}

/** How an arm runs: save its weights, reuse or continue earlier work, distil from a teacher. */
export interface ArmFlags {
  readonly saveWeights: boolean;
  /** Reuse a finished result of the same spec; continue from the last checkpoint. */
  readonly resume: boolean;
  readonly teacher?: TeacherRecord;
  /** Spec hashes of an older version's checkpoints of this same arm (see ArmManifest.previousSpecHash). */
  readonly acceptedSpecHashes?: readonly string[];
}

/** One arm to run and where it writes. */
export interface ArmJob {
  readonly arm: Arm;
  readonly armDirectory: string;
  readonly flags: ArmFlags;
}


/** How a caller steers one running arm (nothing of it crosses a process boundary). */
export interface ArmControl {
  /**
   * Once aborted, the arm stops after its current epoch is checkpointed, with an
   * `ArmInterruptedError`; a later run with `resume` continues from that checkpoint.
   */
  readonly signal?: AbortSignal;
  /**
   * The queue job this arm runs as (BullMQ's job id), recorded in the arm's lock. The queue's own
   * lock says who owns the job: a lock left by the same job on another host is that worker's,
   * which lost the job (killed, cut off), and is taken over.
   */
  readonly queueJob?: string;
}
