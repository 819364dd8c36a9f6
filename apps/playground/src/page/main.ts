import { teacherArchitectures } from '@robustfair/models';
import { evaluationFileSchema } from '@robustfair/spec';
import { pageBackends, type EvaluationRequest, type EvaluationResult, type ImageChoice, type PageBackend, type WorkerMessage } from '../evaluation/protocol.js';
import { renderClassPlot } from './class-plot.js';
import { renderClassTable } from './class-table.js';
import { describeFailure } from './describe-failure.js';
import { downloadText } from './downloads.js';
import { renderImageGrid } from './image-grid.js';
import { modelFilesOf, readPicked } from './picked-files.js';

// The page's entry: wires the form to the evaluation worker and draws what comes back.

const element = <Type extends HTMLElement>(id: string) => document.getElementById(id) as Type;
const modelInput = element<HTMLInputElement>('model-files');
const architecture = element<HTMLSelectElement>('architecture');
const modelSummary = element<HTMLParagraphElement>('model-summary');
const cifarInput = element<HTMLInputElement>('cifar-file');
const imageCount = element<HTMLInputElement>('image-count');
const epsilonInput = element<HTMLInputElement>('epsilon');
const backendSelect = element<HTMLSelectElement>('backend');
const runButton = element<HTMLButtonElement>('run');
const cancelButton = element<HTMLButtonElement>('cancel');
const progressBar = element<HTMLProgressElement>('progress');
const status = element<HTMLParagraphElement>('status');
const errorLine = element<HTMLParagraphElement>('error');
const results = element<HTMLElement>('results');

for (const id of Object.keys(teacherArchitectures)) architecture.add(new Option(id, id));

let worker: Worker | undefined;
let latest: EvaluationResult | undefined;

function showError(message: string | undefined): void {
  errorLine.hidden = message === undefined;
  errorLine.textContent = message ?? '';
}

/** What the picked spec.json says, for the line under the file input (the worker checks it fully). */
async function summarizeModel(): Promise<void> {
  const files = [...(modelInput.files ?? [])];
  const spec = files.find((file) => file.name === 'spec.json');
  if (files.length === 0) {
    modelSummary.textContent = 'No model loaded.';
    return;
  }
  let described = files.map((file) => file.name).join(', ');
  if (spec) {
    try {
      const parsed = JSON.parse(await spec.text()) as { label?: unknown; spec?: { model?: { id?: unknown }; dataset?: { id?: unknown } } };
      described = `${String(parsed.label)}: model ${String(parsed.spec?.model?.id)}, trained on ${String(parsed.spec?.dataset?.id)} (${described})`;
    } catch {
      described = `spec.json is not valid JSON (${described})`;
    }
  }
  modelSummary.textContent = described;
  status.textContent = 'Ready: choose the images and attacks, then Run.';
}

/** ε from the field, in 1/255 (`8` or `8/255`); undefined when empty (the spec's). */
function epsilonOf(text: string): number | string | undefined {
  const trimmed = text.trim().replace(/\/\s*255$/, '');
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value > 255) return `ε: '${text}' is not a number of 1/255 between 0 and 255 (e.g. 8 for 8/255)`;
  return value / 255;
}

async function imagesOf(): Promise<ImageChoice | string> {
  const kind = (document.querySelector('input[name="images"]:checked') as HTMLInputElement | null)?.value;
  if (kind !== 'cifar10') return { kind: 'synthetic' };
  const file = cifarInput.files?.[0];
  if (!file) return 'pick a CIFAR-10 binary batch file (e.g. test_batch.bin), or choose the synthetic set';
  const count = Number(imageCount.value);
  if (!Number.isInteger(count) || count < 1) return `images from the batch file: '${imageCount.value}' is not a whole number of at least 1`;
  return { kind: 'cifar10', file: await readPicked(file), count };
}

/** Builds the request from the form, or says what is missing. */
async function requestOf(): Promise<EvaluationRequest | string> {
  const model = await modelFilesOf([...(modelInput.files ?? [])], architecture.value);
  if (typeof model === 'string') return model;
  const images = await imagesOf();
  if (typeof images === 'string') return images;
  const attacks = [...document.querySelectorAll<HTMLInputElement>('#attacks input:checked')].map((box) => box.value);
  if (attacks.length === 0) return 'tick at least one attack';
  const epsilon = epsilonOf(epsilonInput.value);
  if (typeof epsilon === 'string') return epsilon;
  const backend = backendSelect.value as PageBackend;
  if (!pageBackends.includes(backend)) return `unknown backend '${backendSelect.value}'`;
  return { model, images, attacks, backend, gridSize: 8, ...(epsilon === undefined ? {} : { epsilon }) };
}

function setRunning(running: boolean): void {
  runButton.disabled = running;
  cancelButton.disabled = !running;
}

async function show(result: EvaluationResult): Promise<void> {
  latest = result;
  const evaluation = evaluationFileSchema.parse(JSON.parse(result.evaluationJson));
  results.hidden = false;
  element('results-summary').textContent =
    `${result.modelLabel} on ${result.imageCount} images, ε = ${(result.epsilon * 255).toFixed(2)}/255, ${result.backend} backend, ${result.seconds.toFixed(1)} s.`;
  const table = element<HTMLTableElement>('class-table');
  table.replaceChildren();
  renderClassTable(table, evaluation);
  element('grid-heading').textContent = `Clean vs adversarial (${result.gridAttack}, run again on the first ${result.grid.length} images)`;
  renderImageGrid(element('image-grid'), result.grid, evaluation.classNames ?? []);
  await renderClassPlot(element('class-plot'), evaluation, { label: result.modelLabel, epsilon: result.epsilon });
}

async function run(): Promise<void> {
  showError(undefined);
  status.textContent = 'Reading the picked files…';
  const request = await requestOf();
  if (typeof request === 'string') return showError(request);
  setRunning(true);
  progressBar.value = 0;
  worker = new Worker(new URL('../evaluation/evaluation-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    const message = event.data;
    if (message.type === 'progress') {
      status.textContent = message.text;
      progressBar.value = message.fraction;
      return;
    }
    stopWorker();
    if (message.type === 'failed') {
      status.textContent = 'Stopped.';
      return showError(message.message);
    }
    status.textContent = `Done in ${message.result.seconds.toFixed(1)} s.`;
    progressBar.value = 1;
    show(message.result).catch((error: unknown) => showError(describeFailure(error)));
  };
  worker.onerror = (event) => {
    stopWorker();
    showError(`The evaluation stopped: ${event.message || 'the worker failed to start'}`);
  };
  worker.postMessage(request);
}

function stopWorker(): void {
  worker?.terminate();
  worker = undefined;
  setRunning(false);
}

modelInput.addEventListener('change', () => void summarizeModel());
runButton.addEventListener('click', () => void run().catch((error: unknown) => showError(describeFailure(error))));
cancelButton.addEventListener('click', () => {
  stopWorker();
  status.textContent = 'Cancelled.';
  progressBar.value = 0;
});
element('download-json').addEventListener('click', () => latest && downloadText('evaluation.json', latest.evaluationJson, 'application/json'));
element('download-csv').addEventListener('click', () => latest && downloadText('evaluation.csv', latest.evaluationCsv, 'text/csv'));
