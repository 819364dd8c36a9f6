import { cleanRowId, InvalidOptionsError, worstCaseRowId, type JsonValue } from '@robustfair/spec';
import { meanAndDeviation, type MeanAndDeviation } from './mean-and-deviation.js';
import type { RunArm, RunDirectories } from './read-run-directories.js';
import type { ClassSummaryFile } from './run-files.js';

/** An arm with the names the report shows: its own id and the method (seed group) it belongs to. */
export interface ReportArm extends RunArm {
  /** Unique in the report: the label, prefixed by the experiment name when labels collide. */
  readonly id: string;
  readonly method: string;
}

/** A method: arms whose specs differ only in the seed. */
export interface ReportMethod {
  readonly name: string;
  readonly arms: readonly ReportArm[];
}

/** Avg. and Worst of one evaluation over a method's seeds. */
export interface EvaluationCell {
  readonly average: MeanAndDeviation;
  readonly worst: MeanAndDeviation;
}

/** One row of the Table-1 layout. */
export interface MethodRow {
  readonly method: string;
  readonly seeds: readonly number[];
  /** By evaluation id, over the method's arms that ran it; absent when none did. */
  readonly cells: ReadonlyMap<string, EvaluationCell>;
  /** NSD of the strongest evaluation. */
  readonly nsd: MeanAndDeviation;
  /** Class-wise accuracy averaged over the seeds, by evaluation id. */
  readonly classAccuracy: ReadonlyMap<string, readonly number[]>;
}

/** Everything the plots, tables and pages are made from. */
export interface ReportModel {
  /** The experiment names, joined. */
  readonly title: string;
  readonly sources: readonly string[];
  readonly numClasses: number;
  /** One name per class (the dataset's, else the class id). */
  readonly classNames: readonly string[];
  /** Evaluation ids in column order: `clean`, the attacks, `worst-case`. */
  readonly evaluations: readonly string[];
  /** The evaluation robustness is judged by: `worst-case` (per sample over every attack) when every arm has it. */
  readonly strongest: string;
  readonly split: string;
  readonly epsilon: number;
  readonly arms: readonly ReportArm[];
  readonly methods: readonly ReportMethod[];
  readonly table: readonly MethodRow[];
  /** The teachers distillation arms learned from (each once), with their own evaluation. */
  readonly teachers: readonly ReportTeacher[];
  readonly notes: readonly string[];
}

/** A teacher, the arms that distilled from it and its evaluation rows. */
export interface ReportTeacher {
  readonly key: string;
  readonly arms: readonly string[];
  readonly evaluations: ReadonlyMap<string, ClassSummaryFile>;
}

function teachersOf(arms: readonly ReportArm[]): ReportTeacher[] {
  const teachers = new Map<string, { key: string; arms: string[]; evaluations: ReadonlyMap<string, ClassSummaryFile> }>();
  for (const arm of arms) {
    if (!arm.teacher) continue;
    const entry = teachers.get(arm.teacher.key) ?? { key: arm.teacher.key, arms: [], evaluations: arm.teacher.evaluations };
    entry.arms.push(arm.id);
    teachers.set(arm.teacher.key, entry);
  }
  return [...teachers.values()];
}

/** How an evaluation id reads in titles and table headers. */
export function evaluationName(id: string): string {
  if (id === cleanRowId) return 'Clean';
  if (id === worstCaseRowId) return 'Worst case';
  return id;
}

/** How an evaluation reads after "under": `the worst case over every attack`, `pgd20`. */
export function underEvaluation(id: string): string {
  if (id === worstCaseRowId) return 'the worst case over every attack';
  if (id === cleanRowId) return 'no attack (clean)';
  return id;
}

/** JSON with sorted keys, so two specs compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A JSON object's entries, or undefined for anything else (`Array.isArray` does not narrow readonly arrays). */
function jsonObject(value: JsonValue | undefined): { readonly [key: string]: JsonValue } | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { readonly [key: string]: JsonValue }) : undefined;
}

/** The spec without its seed and experiment name; `looseAttacks` also drops `evaluation.attacks`. */
function specKey(arm: RunArm, looseAttacks: boolean): string {
  const { seed: _seed, name: _name, ...rest } = arm.spec;
  const evaluation = jsonObject(rest['evaluation']);
  if (looseAttacks && evaluation) {
    const { attacks: _attacks, ...evaluationRest } = evaluation;
    return canonicalJson({ ...rest, evaluation: evaluationRest });
  }
  return canonicalJson(rest);
}

/** An `evaluation.attacks` entry's row id (`"pgd20"`, `{ preset, name? }`, `{ attack, name }`), as the runner names rows. */
function attackEntryId(entry: JsonValue): string | undefined {
  if (typeof entry === 'string') return entry;
  const object = jsonObject(entry);
  const id = object?.['name'] ?? object?.['preset'];
  return typeof id === 'string' ? id : undefined;
}

/** Whether the arms define every attack id they share the same way (an unnamed entry never matches). */
function attacksAgree(arms: readonly RunArm[]): boolean {
  const definitions = new Map<string, string>();
  for (const arm of arms) {
    const attacks = jsonObject(arm.spec['evaluation'])?.['attacks'];
    if (attacks === undefined) continue;
    if (!Array.isArray(attacks)) return false;
    for (const entry of attacks) {
      const id = attackEntryId(entry);
      if (id === undefined) return false;
      const definition = canonicalJson(entry);
      if ((definitions.get(id) ?? definition) !== definition) return false;
      definitions.set(id, definition);
    }
  }
  return true;
}

/**
 * Which arms are one method: those trained alike, whose specs differ only in the seed, the
 * experiment name and which attacks evaluated them (a study can run a costly attack on one seed
 * only), as long as every attack they share is defined the same way; otherwise the whole spec
 * but the seed and name must match.
 */
function methodGroups(arms: readonly RunArm[]): number[][] {
  const byKey = (indices: readonly number[], loose: boolean) => {
    const groups = new Map<string, number[]>();
    for (const index of indices) {
      const key = specKey(arms[index] as RunArm, loose);
      groups.set(key, [...(groups.get(key) ?? []), index]);
    }
    return [...groups.values()];
  };
  return byKey(
    arms.map((_, index) => index),
    true,
  ).flatMap((indices) => (attacksAgree(indices.map((index) => arms[index] as RunArm)) ? [indices] : byKey(indices, false)));
}

/** `class-reweight-seed1` → `class-reweight` (the ablate command's seed suffix). */
export function withoutSeedSuffix(label: string): string {
  return label.replace(/(^|-)seed\d+$/, '');
}

/** Makes names unique: a repeated name gets its qualifier (`experiment/name`), then a counter. */
function uniqueNames(entries: readonly { readonly name: string; readonly qualifier: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const { name } of entries) counts.set(name, (counts.get(name) ?? 0) + 1);
  const qualified = entries.map(({ name, qualifier }) => ((counts.get(name) ?? 0) > 1 ? `${qualifier}/${name}` : name));
  const seen = new Map<string, number>();
  return qualified.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

function groupMethods(arms: readonly RunArm[]): ReportArm[] {
  const ids = uniqueNames(arms.map((arm) => ({ name: arm.label, qualifier: arm.experiment })));
  const members = methodGroups(arms);
  const names = uniqueNames(
    members.map((indices) => {
      const first = arms[indices[0] as number] as RunArm;
      return { name: withoutSeedSuffix(first.label) || first.experiment, qualifier: first.experiment };
    }),
  );
  const methodOf = new Map<number, string>();
  members.forEach((indices, group) => indices.forEach((index) => methodOf.set(index, names[group] as string)));
  return arms.map((arm, index) => ({ ...arm, id: ids[index] as string, method: methodOf.get(index) as string }));
}

/** Union of the arms' evaluation ids: clean first, worst-case last, attacks in order of appearance. */
function evaluationOrder(arms: readonly RunArm[]): string[] {
  const ids: string[] = [];
  for (const arm of arms) for (const id of arm.evaluations.keys()) if (!ids.includes(id)) ids.push(id);
  const attacks = ids.filter((id) => id !== cleanRowId && id !== worstCaseRowId);
  return [...(ids.includes(cleanRowId) ? [cleanRowId] : []), ...attacks, ...(ids.includes(worstCaseRowId) ? [worstCaseRowId] : [])];
}

/**
 * `worst-case` when every arm has it; else the attack every arm has with the lowest mean average
 * accuracy; else clean (with a note).
 */
function strongestEvaluation(arms: readonly RunArm[], evaluations: readonly string[], notes: string[]): string {
  const common = evaluations.filter((id) => id !== cleanRowId && arms.every((arm) => arm.evaluations.has(id)));
  if (common.includes(worstCaseRowId)) return worstCaseRowId;
  const meanAverage = (id: string) => arms.reduce((total, arm) => total + (arm.evaluations.get(id)?.average ?? 0), 0) / arms.length;
  const weakest = common.reduce<string | undefined>((best, id) => (best === undefined || meanAverage(id) < meanAverage(best) ? id : best), undefined);
  if (weakest) {
    notes.push(`not every arm has a worst-case row: robustness is judged by '${weakest}', the attack with the lowest average accuracy`);
    return weakest;
  }
  notes.push('the arms share no attack: the plots show clean accuracy');
  return cleanRowId;
}

function classNamesOf(arms: readonly RunArm[], numClasses: number, notes: string[]): string[] {
  const named = arms.filter((arm) => arm.classNames?.length === numClasses);
  const first = named[0]?.classNames;
  if (first && named.every((arm) => arm.classNames?.every((name, index) => name === first[index]))) return [...first];
  if (first) notes.push('the arms name their classes differently: classes are shown by id');
  return Array.from({ length: numClasses }, (_, index) => String(index));
}

function methodRow(method: ReportMethod, evaluations: readonly string[], strongest: string, numClasses: number): MethodRow {
  const cells = new Map<string, EvaluationCell>();
  const classAccuracy = new Map<string, number[]>();
  for (const id of evaluations) {
    // over the seeds that ran this evaluation (buildReportModel notes when that is not all of them)
    const rows = method.arms.map((arm) => arm.evaluations.get(id)).filter((row): row is ClassSummaryFile => row !== undefined);
    if (rows.length === 0) continue;
    cells.set(id, {
      average: meanAndDeviation(rows.map((row) => row.average)),
      worst: meanAndDeviation(rows.map((row) => row.worstClass.accuracy)),
    });
    classAccuracy.set(
      id,
      Array.from({ length: numClasses }, (_, classIndex) => meanAndDeviation(rows.map((row) => row.classAccuracy[classIndex] ?? Number.NaN)).mean),
    );
  }
  const strongestRows = method.arms.map((arm) => arm.evaluations.get(strongest)?.nsd ?? Number.NaN);
  return { method: method.name, seeds: method.arms.map((arm) => arm.seed), cells, nsd: meanAndDeviation(strongestRows), classAccuracy };
}

/**
 * Evaluations that only some seeds of a method ran: their cells average those seeds (each arm's
 * worst case is over the attacks it ran on every image, as the evaluation suite leaves subset
 * attacks out of it). One note per evaluation, naming the seeds.
 */
function partialEvaluationNotes(methods: readonly ReportMethod[], evaluations: readonly string[]): string[] {
  const notes: string[] = [];
  for (const id of evaluations) {
    const partial = methods
      .map((method) => ({ method, ran: method.arms.filter((arm) => arm.evaluations.has(id)) }))
      .filter(({ method, ran }) => ran.length > 0 && ran.length < method.arms.length);
    const [first] = partial;
    if (first === undefined) continue;
    const seedsOf = ({ ran }: { ran: readonly ReportArm[] }) => ran.map((arm) => arm.seed).join(', ');
    const which = partial.every((entry) => seedsOf(entry) === seedsOf(first))
      ? `seed ${seedsOf(first)} of ${partial.length === methods.length ? 'every method' : partial.map(({ method }) => method.name).join(', ')}`
      : partial.map((entry) => `${entry.method.name}: seed ${seedsOf(entry)}`).join('; ');
    notes.push(
      `'${evaluationName(id)}' ran on some seeds only (${which}): its cells are over those seeds (a seed's worst case is over the attacks it ran on every image)`,
    );
  }
  return notes;
}

/**
 * Shapes the arms read from the inputs into what the report shows: arms grouped into methods
 * (trained alike: the same spec but for the seed and the attacks evaluated), the Table-1 rows (mean ± sample std over seeds), the evaluation
 * columns and the strongest evaluation. All arms must have the same number of classes.
 */
export function buildReportModel(runs: RunDirectories): ReportModel {
  const notes = [...runs.notes];
  const first = runs.arms[0];
  if (!first) throw new InvalidOptionsError('report input', [{ path: runs.sources.join(', '), message: 'no arms to report' }]);
  const numClasses = first.evaluations.get(cleanRowId)?.classAccuracy.length ?? 0;
  const mismatched = runs.arms.filter((arm) => [...arm.evaluations.values()].some((row) => row.classAccuracy.length !== numClasses));
  if (mismatched.length > 0) {
    throw new InvalidOptionsError('report input', [
      { path: mismatched[0]?.directory ?? '', message: `its evaluation does not have ${numClasses} classes like ${first.directory}; report datasets with different classes separately` },
    ]);
  }
  const arms = groupMethods(runs.arms);
  const methods: ReportMethod[] = [];
  for (const arm of arms) {
    const method = methods.find((entry) => entry.name === arm.method);
    if (method) (method.arms as ReportArm[]).push(arm);
    else methods.push({ name: arm.method, arms: [arm] });
  }
  const evaluations = evaluationOrder(arms);
  const strongest = strongestEvaluation(arms, evaluations, notes);
  if (new Set(arms.map((arm) => arm.split)).size > 1) notes.push(`the arms were evaluated on different splits (${[...new Set(arms.map((arm) => arm.split))].join(', ')})`);
  if (new Set(arms.map((arm) => arm.epsilon)).size > 1) notes.push('the arms were evaluated at different radii (epsilon); the header shows the first');
  notes.push(...partialEvaluationNotes(methods, evaluations));
  for (const arm of arms) for (const flag of arm.flags) notes.push(`${arm.id}: ${flag}`);
  return {
    title: [...new Set(arms.map((arm) => arm.experiment))].join(' + '),
    sources: runs.sources,
    numClasses,
    classNames: classNamesOf(arms, numClasses, notes),
    evaluations,
    strongest,
    split: first.split,
    epsilon: first.epsilon,
    arms,
    methods,
    table: methods.map((method) => methodRow(method, evaluations, strongest, numClasses)),
    teachers: teachersOf(arms),
    notes,
  };
}
