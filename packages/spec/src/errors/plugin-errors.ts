import { RobustfairError } from './robustfair-error.js';

const formatIds = (ids: readonly string[]) => (ids.length === 0 ? '(none registered)' : ids.map((id) => `'${id}'`).join(', '));

/** A config names a plugin id that no loaded package registers. */
export class NoSuchPluginError extends RobustfairError {
  constructor(
    readonly kind: string,
    readonly id: string,
    readonly available: readonly string[],
  ) {
    super(`no ${kind} plugin with id '${id}'; available: ${formatIds(available)}`);
    this.name = 'NoSuchPluginError';
  }
}

/** Two loaded packages register the same id for one kind. */
export class DuplicatePluginError extends RobustfairError {
  constructor(
    readonly kind: string,
    readonly id: string,
    readonly available: readonly string[],
  ) {
    super(`${kind} plugin id '${id}' is registered twice; registered ids: ${formatIds(available)}`);
    this.name = 'DuplicatePluginError';
  }
}

/** One problem found in a config or in a plugin's options. */
export interface OptionsIssue {
  /** Dotted path of the field, e.g. `fairness.options.power`. */
  readonly path: string;
  readonly message: string;
}

/** Options or a config failed validation; the message names every field and what is allowed. */
export class InvalidOptionsError extends RobustfairError {
  constructor(
    readonly subject: string,
    readonly issues: readonly OptionsIssue[],
  ) {
    super(`invalid ${subject}:\n${issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`).join('\n')}`);
    this.name = 'InvalidOptionsError';
  }
}

/** Two plugins chosen together cannot work together (e.g. temperatures with a distiller that ignores them). */
export class IncompatiblePluginsError extends RobustfairError {
  constructor(message: string) {
    super(message);
    this.name = 'IncompatiblePluginsError';
  }
}
