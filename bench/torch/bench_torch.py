"""PyTorch side of `pnpm bench`: the same architectures, batch and step definitions as
bench/src (small CNN, PreAct-ResNet-18 at a width), on CPU with a fixed thread count.
Prints one JSON object on stdout. Needs python3-torch (Debian) or any torch >= 1.13."""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F


# The PyTorch classes with robustfair's state_dict names (tools/torch), so the bench times the
# same architectures the export and the study's reference use.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'tools' / 'torch'))
from robustfair_models import PreActResNet18, SmallCnn  # noqa: E402


# As bench/src builds them: the preact-resnet18 plugin's default has the final BN+ReLU.
MODELS = {
    'small-cnn': lambda: SmallCnn(32),
    'preact-resnet18-w16': lambda: PreActResNet18(16),
    'preact-resnet18': lambda: PreActResNet18(64),
}


def measure(fn, repeats, warmup=3):
    # torch on this kind of machine varies by 2x between runs; more warm-up and repeats keep the
    # reference from being measured low by a slow phase (which would flatter our RATIO lines)
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--models', default='small-cnn,preact-resnet18-w16')
    parser.add_argument('--steps', default='forward,train,pgd')
    parser.add_argument('--batch', type=int, default=128)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results = []
    for name in args.models.split(','):
        model = MODELS[name]()
        x = torch.rand(args.batch, 3, 32, 32)
        y = torch.randint(0, 10, (args.batch,))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=2e-4)
        for step in args.steps.split(','):
            if step == 'forward':
                model.eval()

                def fn():
                    with torch.no_grad():
                        model(x)
            elif step == 'train':
                model.train()

                def fn():
                    optimizer.zero_grad()
                    F.cross_entropy(model(x), y).backward()
                    optimizer.step()
            elif step == 'pgd':
                model.eval()
                for p in model.parameters():
                    p.requires_grad_(False)

                def fn():
                    # one L-inf PGD step: input gradient only, sign step, projection
                    delta = x.clone().requires_grad_(True)
                    loss = F.cross_entropy(model(delta), y)
                    (grad,) = torch.autograd.grad(loss, [delta])
                    adv = torch.min(torch.max(delta.detach() + 2 / 255 * grad.sign(), x - 8 / 255), x + 8 / 255).clamp(0, 1)
                    return adv
            else:
                raise SystemExit(f'unknown step {step}')
            seconds = measure(fn, args.repeats)
            if step == 'pgd':
                for p in model.parameters():
                    p.requires_grad_(True)
            results.append({'model': name, 'step': step, 'batch': args.batch, 'seconds': seconds, 'imagesPerSecond': args.batch / seconds})
    print(json.dumps({'torch': torch.__version__, 'threads': args.threads, 'results': results}))


if __name__ == '__main__':
    main()
