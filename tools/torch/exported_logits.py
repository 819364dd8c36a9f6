"""Loads a `robustfair export` file into the PyTorch class of its architecture with
load_state_dict(strict=True) and prints the eval-mode logits of NHWC float32 images as JSON.
usage: exported_logits.py MODEL.safetensors ARCHITECTURE WIDTH NUM_CLASSES IMAGES.f32 N H W C"""
import json
import sys

import torch

from robustfair_models import build, load_safetensors


def main():
    weights, architecture, width, num_classes, images, n, h, w, c = sys.argv[1:10]
    model = build(architecture, int(width), int(num_classes), int(c))
    model.load_state_dict(load_safetensors(weights), strict=True)
    model.eval()
    with open(images, 'rb') as handle:
        pixels = torch.frombuffer(bytearray(handle.read()), dtype=torch.float32).reshape(int(n), int(h), int(w), int(c))
    with torch.no_grad():
        logits = model(pixels.permute(0, 3, 1, 2).contiguous())
    json.dump(logits.tolist(), sys.stdout)


if __name__ == '__main__':
    main()
