import type { GridImage } from '../evaluation/protocol.js';

/** One image (HWC in [0, 1], 1 or 3 channels) on a canvas of its own size. */
function imageCanvas(pixels: Float32Array, [height, width, channels]: readonly [number, number, number]): HTMLCanvasElement {
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d');
  if (!context) return canvas;
  const image = context.createImageData(width, height);
  for (let pixel = 0; pixel < width * height; pixel++) {
    for (let channel = 0; channel < 3; channel++) {
      const value = pixels[pixel * channels + (channels === 1 ? 0 : channel)] as number;
      image.data[pixel * 4 + channel] = Math.round(Math.min(1, Math.max(0, value)) * 255);
    }
    image.data[pixel * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/** A captioned image: the canvas and "label → prediction", marked when the prediction is wrong. */
function figure(pixels: Float32Array, shape: GridImage['shape'], caption: string, wrong: boolean): HTMLElement {
  const element = document.createElement('figure');
  element.appendChild(imageCanvas(pixels, shape));
  const text = Object.assign(document.createElement('figcaption'), { textContent: caption });
  if (wrong) text.className = 'wrong';
  element.appendChild(text);
  return element;
}

/** Fills `container` with one column per image: its class, then the image clean and attacked with the model's predictions. */
export function renderImageGrid(container: HTMLElement, images: readonly GridImage[], classNames: readonly string[]): void {
  container.replaceChildren();
  const name = (index: number) => classNames[index] ?? `class-${index}`;
  for (const image of images) {
    const pair = document.createElement('div');
    pair.className = 'pair';
    pair.append(
      figure(image.clean, image.shape, `clean: ${name(image.cleanPrediction)}`, image.cleanPrediction !== image.label),
      figure(image.adversarial, image.shape, `attacked: ${name(image.adversarialPrediction)}`, image.adversarialPrediction !== image.label),
    );
    pair.prepend(Object.assign(document.createElement('div'), { className: 'truth', textContent: name(image.label) }));
    container.appendChild(pair);
  }
}
