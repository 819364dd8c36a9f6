"""PyTorch side of `pnpm bench`: the same architectures, batch and step definitions as
bench/src (small CNN, PreAct-ResNet-18 at a width), on CPU with a fixed thread count.
Prints one JSON object on stdout. Needs python3-torch (Debian) or any torch >= 1.13."""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallCnn(nn.Module):
    # conv3x3(w)-BN-ReLU, conv3x3(2w, s2)-BN-ReLU, conv3x3(4w, s2)-BN-ReLU, GAP, linear: as @robustfair/models small-cnn
    def __init__(self, width=32, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, 2 * width, 3, 2, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(2 * width)
        self.conv3 = nn.Conv2d(2 * width, 4 * width, 3, 2, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(4 * width)
        self.linear = nn.Linear(4 * width, num_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = F.relu(self.bn3(self.conv3(x)))
        return self.linear(x.mean(dim=(2, 3)))


class PreActBlock(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.shortcut = None
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Conv2d(in_planes, planes, 1, stride, bias=False)

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if self.shortcut is not None else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class PreActResNet18(nn.Module):
    # the variant without the final BN+ReLU; base width 64 at full size
    def __init__(self, width=64, num_classes=10):
        super().__init__()
        widths = [width, 2 * width, 4 * width, 8 * width]
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        layers, in_planes = [], width
        for index, planes in enumerate(widths):
            for block in range(2):
                stride = 2 if index > 0 and block == 0 else 1
                layers.append(PreActBlock(in_planes, planes, stride))
                in_planes = planes
        self.layers = nn.Sequential(*layers)
        self.linear = nn.Linear(8 * width, num_classes)

    def forward(self, x):
        out = self.layers(self.conv1(x))
        out = F.avg_pool2d(out, 4)
        return self.linear(out.flatten(1))


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
