import type { BackendSelection } from '@robustfair/core';
import type { ProgressEvent } from '../progress/progress-reporter.js';
import type { ArmJob } from '../run/run-types.js';

/** What every arm of one run shares: the run's name, config file, results root and backend. */
export interface SharedArmSettings {
  readonly name: string;
  /** The config file, for outside `plugins` resolved relative to it. */
  readonly configFile: string;
  /** Absolute results root. */
  readonly out: string;
  /** The parent's selection: the worker activates `active` and records the selection as is. */
  readonly backend: BackendSelection;
}

/** Parent → worker: run this arm (then wait for the next message), or exit. */
export type ParentMessage =
  | { readonly type: 'run-arm'; readonly shared: SharedArmSettings; readonly job: ArmJob }
  | { readonly type: 'exit' };

/** Worker → parent, over the IPC channel (structured clone: `serialization: 'advanced'`). */
export type WorkerMessage =
  /** Listening: the parent may send an arm. */
  | { readonly type: 'ready' }
  | { readonly type: 'info'; readonly message: string }
  | { readonly type: 'progress'; readonly event: ProgressEvent }
  | { readonly type: 'print'; readonly text: string }
  /** The arm failed with this error (the worker can take another arm). */
  | { readonly type: 'failed'; readonly message: string }
  /** The arm's result.json is written. */
  | { readonly type: 'finished' };
