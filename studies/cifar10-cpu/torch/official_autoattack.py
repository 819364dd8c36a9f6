"""Runs the OFFICIAL AutoAttack (Croce & Hein 2020, github.com/fra31/auto-attack, MIT licence) in
version='standard' (APGD-CE, APGD-T, FAB-T, Square; L-inf) on a robustfair model exported with
`robustfair export <arm dir> --format safetensors`, on the images robustfair's `aa` row attacked:
the first K test images of each class of test_batch.bin, in file order. Prints (or writes) the
class-wise robust accuracy, average, worst class, NSD and the per-sample flags as JSON, so
compare_fidelity.py can put them beside robustfair's own `aa` row on the same weights and images.

The official code is NOT part of this repository and is never committed here: take a copy of the
GitHub repository fra31/auto-attack (the study used commit a39220048b3c9f2cca9a4d3a54604793c68eca7e)
and point --autoattack-dir at the folder that holds its `autoattack` package. It is imported
unchanged and needs only torch and numpy on CPU.

usage: /usr/bin/python3 official_autoattack.py --autoattack-dir /tmp/auto-attack \
           --result RUN/arm/arm/result.json --weights RUN/arm/arm/model.safetensors \
           --data DIR/cifar-10-batches-bin [--per-class K] [--out aa.json] [--threads 1] [--seed 0]
       --result fills architecture, width, epsilon and K (the `aa` entry's perClass) from the arm;
       without it give --architecture, --width, --epsilon and --per-class.
       --check-only loads the model and images and prints their clean flags without attacking
       (no --autoattack-dir needed; the tests use it).
"""
import argparse
import json
import math
import os
import sys
import time
from fractions import Fraction

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'tools', 'torch'))
from robustfair_models import PreActResNet18, SmallCnn, load_safetensors  # noqa: E402

NUM_CLASSES = 10
RECORD = 1 + 3 * 32 * 32


def first_per_class(labels, per_class):
    """The first `per_class` indices of each class, ascending (robustfair's `firstPerClass`)."""
    return sorted(i for c in range(NUM_CLASSES) for i in np.flatnonzero(labels == c)[:per_class].tolist())


def test_images(directory, per_class, split_per_class=None):
    """The first `per_class` images of each class of test_batch.bin, ascending file index (the
    order robustfair's evaluation split and its per-class `aa` subset keep): (indices, x NCHW in
    [0, 1], y, positions). `positions` are the images' places in the arm's evaluation split (the
    first `split_per_class` of each class), the numbering of robustfair's `perSample.subsets.aa`."""
    records = np.fromfile(os.path.join(directory, 'test_batch.bin'), dtype=np.uint8).reshape(-1, RECORD)
    labels = records[:, 0].astype(np.int64)
    indices = first_per_class(labels, per_class)
    split = first_per_class(labels, split_per_class) if split_per_class else list(range(len(labels)))
    place = {index: position for position, index in enumerate(split)}
    pixels = records[indices, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0
    return indices, torch.from_numpy(pixels), torch.from_numpy(labels[indices]), [place[i] for i in indices]


def load_model(weights, architecture, width, final_batch_norm=True):
    """The exported state_dict in its PyTorch class, strict names, eval mode (AutoAttack needs a
    deterministic model: batch-norm running statistics, no dropout)."""
    if architecture == 'small-cnn':
        model = SmallCnn(width, NUM_CLASSES)
    elif architecture == 'preact-resnet18':
        model = PreActResNet18(width, NUM_CLASSES, final_batch_norm)
    else:
        raise SystemExit(f"official_autoattack.py: no PyTorch class for '{architecture}'")
    model.load_state_dict(load_safetensors(weights), strict=True)
    return model.eval()


def summarize(labels, correct):
    """Class-wise accuracy, average, worst class, NSD (population std / mean), as @robustfair/metrics."""
    count = [int((labels == c).sum()) for c in range(NUM_CLASSES)]
    right = [int(((labels == c) & correct).sum()) for c in range(NUM_CLASSES)]
    accuracy = [r / n if n else None for r, n in zip(right, count)]
    present = [a for a in accuracy if a is not None]
    mean = sum(present) / len(present)
    nsd = math.sqrt(sum((a - mean) ** 2 for a in present) / len(present)) / mean if mean > 0 else None
    worst = min((c for c in range(NUM_CLASSES) if accuracy[c] is not None), key=lambda c: (accuracy[c], c))
    return {'count': count, 'correct': right, 'classAccuracy': accuracy, 'average': sum(right) / sum(count),
            'worstClass': {'accuracy': accuracy[worst], 'classIndex': worst}, 'nsd': nsd}


def arm_settings(result_path):
    """architecture, width, finalBatchNorm, epsilon and the `aa` row's perClass of an arm's result.json."""
    with open(result_path) as handle:
        result = json.load(handle)
    spec = result['spec']
    model = result['resolvedOptions'].get('model', spec['model'])
    evaluation = spec.get('evaluation', {})
    epsilon = evaluation.get('epsilon')
    epsilon = spec['training'].get('epsilon', 8 / 255) if epsilon is None else epsilon
    per_class = None
    subset = spec['dataset'].get('options', {}).get('subset') or {}
    split_per_class = (subset.get('testPerClass') or subset.get('perClass')) if evaluation.get('split', 'test') == 'test' else None
    for entry in evaluation.get('attacks', []):
        if isinstance(entry, dict) and entry.get('preset') == 'aa':
            per_class = entry.get('perClass')
        elif entry == 'aa':
            per_class = split_per_class
    return {'architecture': model['id'], 'width': model.get('options', {}).get('width'),
            'finalBatchNorm': model.get('options', {}).get('finalBatchNorm', True),
            'epsilon': float(Fraction(epsilon)) if isinstance(epsilon, str) else float(epsilon), 'perClass': per_class,
            'splitPerClass': split_per_class}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--autoattack-dir', help='folder holding the official `autoattack` package (added to sys.path)')
    parser.add_argument('--weights', required=True, help='`robustfair export` safetensors file')
    parser.add_argument('--result', help="the arm's result.json: architecture, width, epsilon, K")
    parser.add_argument('--architecture')
    parser.add_argument('--width', type=int)
    parser.add_argument('--epsilon', help='L-inf radius, e.g. 8/255')
    parser.add_argument('--per-class', type=int, help='K: first K test images of each class')
    parser.add_argument('--data', required=True, help='CIFAR-10 binary directory (test_batch.bin)')
    parser.add_argument('--batch-size', type=int, default=250)
    parser.add_argument('--seed', type=int, default=0, help="AutoAttack's seed")
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--out')
    parser.add_argument('--check-only', action='store_true', help='load model and images, report clean flags, do not attack')
    args = parser.parse_args(argv)

    settings = arm_settings(args.result) if args.result else {'finalBatchNorm': True}
    for key, value in (('architecture', args.architecture), ('width', args.width), ('perClass', args.per_class),
                       ('epsilon', float(Fraction(args.epsilon)) if args.epsilon else None)):
        if value is not None:
            settings[key] = value
    missing = [key for key in ('architecture', 'width', 'perClass', 'epsilon') if settings.get(key) is None]
    if missing:
        parser.error(f'give --result or --{", --".join(missing)}')

    torch.set_num_threads(args.threads)
    indices, x, y, positions = test_images(args.data, int(settings['perClass']), settings.get('splitPerClass'))
    model = load_model(args.weights, settings['architecture'], int(settings['width']), bool(settings['finalBatchNorm']))
    with torch.no_grad():
        clean = torch.cat([model(x[i:i + args.batch_size]).argmax(1) for i in range(0, len(y), args.batch_size)]) == y
    output = {'schemaVersion': 1, 'kind': 'official-autoattack', **settings, 'testIndices': indices, 'positions': positions, 'labels': y.tolist(), 'torch': torch.__version__,
              'threads': torch.get_num_threads(), 'clean': {**summarize(y, clean), 'flags': clean.tolist()}}

    if not args.check_only:
        if not args.autoattack_dir:
            parser.error('--autoattack-dir is required (the unpacked official code; see the docstring)')
        sys.path.insert(0, os.path.abspath(args.autoattack_dir))
        from autoattack import AutoAttack  # the official implementation, never a copy of it
        started = time.time()
        adversary = AutoAttack(model, norm='Linf', eps=settings['epsilon'], version='standard', seed=args.seed, device='cpu', verbose=False)
        x_adv = adversary.run_standard_evaluation(x, y, bs=args.batch_size)
        with torch.no_grad():
            robust = torch.cat([model(x_adv[i:i + args.batch_size]).argmax(1) for i in range(0, len(y), args.batch_size)]) == y
        # AutoAttack keeps the clean image for a misclassified point, so robust implies clean.
        robust &= clean
        output['autoattack'] = {**summarize(y, robust), 'flags': robust.tolist(), 'version': 'standard', 'seed': args.seed,
                                'attacks': list(adversary.attacks_to_run), 'seconds': time.time() - started,
                                'maxPerturbation': float((x_adv - x).abs().max())}
    text = json.dumps(output)
    if args.out:
        with open(args.out, 'w') as handle:
            handle.write(text + '\n')
    else:
        print(text)


if __name__ == '__main__':
    main()
