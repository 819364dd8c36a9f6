// The messages between the page and the evaluation worker. TF.js runs in the worker so the page
// stays responsive, and Cancel ends the worker (there is no step at which the suite checks a flag).

/** A file the user picked, read into memory; `name` is what messages call it. */
export interface PickedFile {
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

/** The model to evaluate: spec.json of a run, with its weights or a safetensors checkpoint. */
export interface ModelFiles {
  /** spec.json, as a run writes it into its arm directory. */
  readonly spec: PickedFile;
  readonly weights?: { readonly manifest: PickedFile; readonly binary: PickedFile };
  /** A PyTorch state_dict in safetensors and the architecture its names follow (default: the spec's model id). */
  readonly safetensors?: { readonly file: PickedFile; readonly architecture?: string };
}

/** Where the test images come from. */
export type ImageChoice =
  /** The synthetic set the spec describes (its dataset options when it trained on `synthetic`). */
  | { readonly kind: 'synthetic' }
  /** A CIFAR-10 binary batch file (e.g. test_batch.bin): its first `count` images. */
  | { readonly kind: 'cifar10'; readonly file: PickedFile; readonly count: number };

/** The backends the page offers. `cpu` is TF.js' reference backend: the CLI's `--backend cpu` numbers. */
export const pageBackends = ['cpu', 'webgl', 'wasm'] as const;
export type PageBackend = (typeof pageBackends)[number];

/** What the page asks the worker to do. */
export interface EvaluationRequest {
  readonly model: ModelFiles;
  readonly images: ImageChoice;
  /** Attack preset ids (`fgsm`, `pgd20`, `cw`, `apgd-ce`, `aa`), run in this order. */
  readonly attacks: readonly string[];
  /** Radius in pixel units (0–1); undefined: the spec's evaluation ε (else its training ε). */
  readonly epsilon?: number;
  readonly backend: PageBackend;
  /** Images shown clean and attacked in the grid. */
  readonly gridSize: number;
}

/** One image of the grid: HWC pixels in [0, 1], clean and attacked, with the predictions. */
export interface GridImage {
  readonly shape: readonly [height: number, width: number, channels: number];
  readonly clean: Float32Array;
  readonly adversarial: Float32Array;
  readonly label: number;
  readonly cleanPrediction: number;
  readonly adversarialPrediction: number;
}

/** What an evaluation produced. */
export interface EvaluationResult {
  /** evaluation.json and evaluation.csv, byte for byte what `robustfair eval` writes. */
  readonly evaluationJson: string;
  readonly evaluationCsv: string;
  readonly epsilon: number;
  readonly backend: PageBackend;
  readonly modelLabel: string;
  readonly imageCount: number;
  /** The attack whose images the grid shows. */
  readonly gridAttack: string;
  readonly grid: readonly GridImage[];
  readonly seconds: number;
}

/** Worker → page. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly text: string; readonly fraction: number }
  | { readonly type: 'done'; readonly result: EvaluationResult }
  | { readonly type: 'failed'; readonly message: string };
