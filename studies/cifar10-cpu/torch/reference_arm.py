"""PyTorch reference of one SAT or TRADES arm of the study: trains and evaluates under the same
protocol as the robustfair arm whose result.json it reads (data subset and validation split,
augmentation, model and width, epochs, batch size, epsilon, SGD, schedule, training attack,
TRADES beta, checkpoint selection, evaluation attacks), so the study can show that robustfair's
numbers are PyTorch's numbers. Its random streams are torch's, not robustfair's: agreement is
statistical (within seed noise), never bit for bit.

usage: /usr/bin/python3 reference_arm.py --result RUN/arm/arm/result.json --seed S \
           --data DIR/cifar-10-batches-bin --out out.json [--threads 1]
       /usr/bin/python3 reference_arm.py --result ... --data DIR --selection-only
           (prints the chosen train/validation/test image indices as JSON, for the tests)
       /usr/bin/python3 reference_arm.py --result ... --seed S --data DIR --weights model.safetensors --out out.json
           (no training: evaluates the arm's own exported weights with this script's attacks)

Dependencies: the standard library, numpy and torch (Debian's python3-torch).
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
import torch.nn.functional as F

# robustfair_models lives in tools/torch at the repository root.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'tools', 'torch'))
from robustfair_models import PreActResNet18, SmallCnn, load_safetensors  # noqa: E402

NUM_CLASSES = 10
RECORD = 1 + 3 * 32 * 32
TRAIN_FILES = [f'data_batch_{index}.bin' for index in range(1, 6)]
TEST_FILE = 'test_batch.bin'

# robustfair's evaluation presets (packages/attacks/src/presets/attack-presets.ts): the options a
# preset gives its plugin. The plugin defaults below fill the rest, as the plugin schemas do.
PRESETS = {
    'fgsm': ('fgsm', {'init': 'gaussian'}),
    'pgd20': ('pgd', {'steps': 20, 'stepSize': 2 / 255, 'init': 'uniform', 'objective': 'cross-entropy'}),
    'cw': ('pgd', {'steps': 20, 'stepSize': 2 / 255, 'init': 'uniform', 'objective': 'cw-margin', 'confidence': 50}),
}
PLUGIN_DEFAULTS = {
    'fgsm': {'init': 'none', 'modelMode': 'eval'},
    'pgd': {'steps': 10, 'stepSize': 2 / 255, 'init': 'uniform', 'modelMode': 'eval', 'objective': 'cross-entropy', 'confidence': 0, 'restarts': 1},
}
# The TRADES / RSLAD start: x + 0.001 * N(0, 1), not clipped before the first step.
GAUSSIAN_START_SCALE = 0.001


class Refused(Exception):
    """An arm this reference does not reproduce (distiller, fairness strategy, unknown plugin)."""


def number(value):
    """Config numbers may be fractions written as strings ('2/255'); robustfair parses them exactly."""
    return float(Fraction(value)) if isinstance(value, str) else float(value)


# ---------------------------------------------------------------- data


def read_records(path):
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % RECORD != 0:
        raise ValueError(f'{path}: {raw.size} bytes is not a whole number of {RECORD}-byte CIFAR-10 records')
    records = raw.reshape(-1, RECORD)
    return records[:, 1:].reshape(-1, 3, 32, 32), records[:, 0].astype(np.int64)


def first_per_class(labels, per_class):
    """The first `per_class` indices of every class, ascending (robustfair's `firstPerClass`)."""
    chosen = []
    for label in range(NUM_CLASSES):
        chosen.extend(np.flatnonzero(labels == label)[:per_class].tolist())
    return sorted(chosen)


def split_per_class(labels, per_class, take):
    """robustfair's `splitPerClass` for take first/last: (kept, taken) positions, both ascending."""
    if take not in ('first', 'last'):
        raise Refused(f"validation take '{take}' is not reproduced (robustfair draws 'random' with its own RNG)")
    taken = []
    for label in range(NUM_CLASSES):
        indices = np.flatnonzero(labels == label).tolist()
        if len(indices) <= per_class:
            raise ValueError(f'validation split: class {label} has {len(indices)} training images, expected more than {per_class}')
        taken.extend(indices[:per_class] if take == 'first' else indices[len(indices) - per_class:])
    taken_set = set(taken)
    return [index for index in range(len(labels)) if index not in taken_set], sorted(taken)


def select_images(train_labels, test_labels, options):
    """Global indices (into data_batch_1..5 concatenated, and into test_batch) of the train,
    validation and test images, in robustfair's order: subset first, validation out of the subset."""
    subset = options.get('subset')
    train = first_per_class(train_labels, subset['perClass']) if subset else list(range(len(train_labels)))
    test_per_class = (subset.get('testPerClass') or subset['perClass']) if subset else None
    test = first_per_class(test_labels, test_per_class) if subset else list(range(len(test_labels)))
    validation = []
    if options.get('validation'):
        split = options['validation']
        kept, taken = split_per_class(train_labels[train], split['perClass'], split.get('take', 'first'))
        train, validation = [train[i] for i in kept], [train[i] for i in taken]
    return {'train': train, 'validation': validation, 'test': test}


def load_data(directory, options):
    parts = [read_records(os.path.join(directory, name)) for name in TRAIN_FILES]
    train_pixels = np.concatenate([pixels for pixels, _ in parts])
    train_labels = np.concatenate([labels for _, labels in parts])
    test_pixels, test_labels = read_records(os.path.join(directory, TEST_FILE))
    indices = select_images(train_labels, test_labels, options)

    def tensors(pixels, labels, chosen):
        # uint8 planar records are already NCHW; [0, 1] pixels, no normalisation (as robustfair).
        return torch.from_numpy(pixels[chosen].astype(np.float32) / 255.0), torch.from_numpy(labels[chosen])

    return indices, {
        'train': tensors(train_pixels, train_labels, indices['train']),
        'validation': tensors(train_pixels, train_labels, indices['validation']),
        'test': tensors(test_pixels, test_labels, indices['test']),
    }


def augment(images, augmentation, generator):
    """RandomCrop(32, padding) then a flip with probability 1/2 (robustfair's augmentation.ts,
    torchvision's order); zero or reflect padding, one draw per image."""
    crop, flip = augmentation.get('crop'), augmentation.get('flip', False)
    out = images
    if crop:
        padding = int(crop.get('padding', 4))
        mode = 'constant' if crop.get('mode', 'zero') == 'zero' else 'reflect'
        padded = F.pad(images, (padding,) * 4, mode=mode)
        offsets = torch.randint(0, 2 * padding + 1, (images.shape[0], 2), generator=generator)
        out = torch.stack([padded[i, :, top:top + 32, left:left + 32] for i, (top, left) in enumerate(offsets.tolist())])
    if flip:
        mirror = torch.rand(images.shape[0], generator=generator) < 0.5
        out = torch.where(mirror[:, None, None, None], out.flip(3), out)
    return out


# ---------------------------------------------------------------- attacks


def cross_entropy_objective(logits, labels):
    return F.cross_entropy(logits, labels, reduction='none')


def cw_margin_objective(confidence):
    """-max(z_y - max_{j!=y} z_j + kappa, 0) per sample (robustfair's cw-margin objective)."""

    def objective(logits, labels):
        label_logit = logits.gather(1, labels[:, None]).squeeze(1)
        others = logits.masked_fill(F.one_hot(labels, logits.shape[1]).bool(), -1e9)
        return -F.relu(label_logit - others.max(1).values + confidence)

    return objective


def kl_to_target_objective(target_logits):
    """KL(softmax(target) || softmax(logits)) per sample: the TRADES attack objective."""
    log_p = F.log_softmax(target_logits, 1)

    def objective(logits, _labels):
        return (log_p.exp() * (log_p - F.log_softmax(logits, 1))).sum(1)

    return objective


def attack_objective(options):
    if options.get('objective', 'cross-entropy') == 'cross-entropy':
        return cross_entropy_objective
    if options['objective'] == 'cw-margin':
        return cw_margin_objective(number(options.get('confidence', 0)))
    raise Refused(f"attack objective '{options['objective']}' is not reproduced")


def start(inputs, epsilon, init, generator):
    if init == 'none':
        return inputs.clone()
    if init == 'gaussian':
        return inputs + GAUSSIAN_START_SCALE * torch.randn(inputs.shape, generator=generator)
    if init == 'uniform':
        return (inputs + (torch.rand(inputs.shape, generator=generator) * 2 - 1) * epsilon).clamp(0, 1)
    raise Refused(f"attack init '{init}' is not reproduced")


def linf_sign_attack(model, inputs, labels, epsilon, steps, step_size, init, objective, generator):
    """robustfair's L-inf PGD/FGSM loop: start, then `steps` times
    x' <- clip(clip(x' + step * sign(grad sum objective), x - eps, x + eps), 0, 1), model in eval mode."""
    adversarial = start(inputs, epsilon, init, generator)
    for _ in range(steps):
        adversarial.requires_grad_(True)
        loss = objective(model(adversarial), labels).sum()
        (gradient,) = torch.autograd.grad(loss, adversarial)
        with torch.no_grad():
            adversarial = adversarial + step_size * gradient.sign()
            adversarial = torch.min(torch.max(adversarial, inputs - epsilon), inputs + epsilon).clamp(0, 1)
    return adversarial.detach()


class Attack:
    """One resolved attack (plugin id + full options), callable on a batch in eval mode."""

    def __init__(self, plugin, options, name):
        if plugin not in PLUGIN_DEFAULTS:
            raise Refused(f"attack plugin '{plugin}' ({name}) is not reproduced; only fgsm and pgd")
        self.plugin, self.name = plugin, name
        self.options = {**PLUGIN_DEFAULTS[plugin], **options}
        if self.options.get('modelMode', 'eval') != 'eval':
            raise Refused(f"attack '{name}' runs in {self.options['modelMode']} mode; only eval mode is reproduced")

    def __call__(self, model, inputs, labels, epsilon, generator, objective=None):
        options = self.options
        if self.plugin == 'fgsm':
            return linf_sign_attack(model, inputs, labels, epsilon, 1, epsilon, options['init'], objective or cross_entropy_objective, generator)
        objective = objective or attack_objective(options)
        best, best_fooled, best_loss = None, None, None
        for _ in range(int(options.get('restarts', 1))):
            candidate = linf_sign_attack(model, inputs, labels, epsilon, int(options['steps']), number(options['stepSize']), options['init'], objective, generator)
            if int(options.get('restarts', 1)) == 1:
                return candidate
            with torch.no_grad():
                logits = model(candidate)
                fooled, loss = logits.argmax(1) != labels, objective(logits, labels)
            if best is None:
                best, best_fooled, best_loss = candidate, fooled, loss
                continue
            # keep-stronger: a misclassified point beats a correct one, then the higher objective
            take = (fooled & ~best_fooled) | ((fooled == best_fooled) & (loss > best_loss))
            best = torch.where(take[:, None, None, None], candidate, best)
            best_loss = torch.where(take, loss, best_loss)
            best_fooled = best_fooled | fooled
        return best


def resolve_evaluation_attack(entry, resolved):
    """(row id, Attack or None, perClass) of one `evaluation.attacks` entry of the spec."""
    if isinstance(entry, str):
        entry = {'preset': entry}
    row = entry.get('name') or entry.get('preset')
    per_class = entry.get('perClass')
    recorded = resolved.get(f'evaluation.{row}')
    if recorded is not None:
        plugin, options = recorded['id'], recorded.get('options', {})
    elif 'attack' in entry:
        plugin, options = entry['attack']['id'], entry['attack'].get('options', {})
    else:
        if entry['preset'] not in PRESETS:
            return row, None, per_class
        plugin, options = PRESETS[entry['preset']]
        options = {**options, **entry.get('overrides', {})}
    if plugin not in PLUGIN_DEFAULTS:
        return row, None, per_class  # AutoAttack and the rest: official_autoattack.py covers `aa`
    return row, Attack(plugin, options, row), per_class


# ---------------------------------------------------------------- model, training, evaluation


def build_model(model_choice):
    options = model_choice.get('options', {})
    if model_choice['id'] == 'small-cnn':
        return SmallCnn(int(options.get('width', 32)), NUM_CLASSES)
    if model_choice['id'] == 'preact-resnet18':
        return PreActResNet18(int(options.get('width', 64)), NUM_CLASSES, bool(options.get('finalBatchNorm', True)))
    raise Refused(f"model '{model_choice['id']}' has no PyTorch class in tools/torch/robustfair_models.py")


def learning_rate_at(schedule, base, epoch, epochs):
    """robustfair's learningRateAt: the rate of a 0-based epoch (multistep as MultiStepLR stepped per epoch)."""
    kind = schedule.get('type', 'constant')
    if kind == 'constant':
        return base
    if kind == 'multistep':
        return base * schedule.get('factor', 0.1) ** sum(1 for milestone in schedule['milestones'] if milestone <= epoch)
    if kind == 'cosine':
        minimum = schedule.get('minimum', 0)
        return minimum + (base - minimum) * (1 + math.cos(math.pi * epoch / max(epochs, 1))) / 2
    raise Refused(f"schedule '{kind}' is not reproduced")


def train_step(model, optimizer, method, beta, attack, inputs, labels, epsilon, generator):
    # The training attack runs on the eval-mode model, outside the training graph (robustfair's fit()).
    model.eval()
    if method == 'trades':
        with torch.no_grad():
            clean = model(inputs)
        adversarial = attack(model, inputs, labels, epsilon, generator, objective=kl_to_target_objective(clean))
    else:
        adversarial = attack(model, inputs, labels, epsilon, generator)
    model.train()
    optimizer.zero_grad(set_to_none=True)
    if method == 'trades':
        # natural first, then adversarial: both forwards update the batch-norm statistics in this order
        natural, robust = model(inputs), model(adversarial)
        log_p = F.log_softmax(natural, 1)
        kl = (log_p.exp() * (log_p - F.log_softmax(robust, 1))).sum(1)
        loss = (F.cross_entropy(natural, labels, reduction='none') + beta * kl).mean()
    else:
        loss = F.cross_entropy(model(adversarial), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def correct_flags(model, inputs, labels, batch_size, attack=None, epsilon=None, generator=None):
    model.eval()
    flags = []
    for begin in range(0, len(labels), batch_size):
        x, y = inputs[begin:begin + batch_size], labels[begin:begin + batch_size]
        if attack is not None:
            x = attack(model, x, y, epsilon, generator)
        with torch.no_grad():
            flags.append(model(x).argmax(1) == y)
    return torch.cat(flags) if flags else torch.zeros(0, dtype=torch.bool)


def summarize(labels, correct):
    """Class-wise accuracy, average (over samples), worst class and NSD (population std / mean),
    as @robustfair/metrics computes them."""
    count = [int((labels == c).sum()) for c in range(NUM_CLASSES)]
    right = [int(((labels == c) & correct).sum()) for c in range(NUM_CLASSES)]
    accuracy = [r / n if n else float('nan') for r, n in zip(right, count)]
    present = [a for a in accuracy if not math.isnan(a)]
    mean = sum(present) / len(present)
    nsd = math.sqrt(sum((a - mean) ** 2 for a in present) / len(present)) / mean if mean > 0 else float('nan')
    worst = min(range(NUM_CLASSES), key=lambda c: (math.inf if math.isnan(accuracy[c]) else accuracy[c], c))
    return {
        'count': count,
        'correct': right,
        'classAccuracy': accuracy,
        'average': sum(right) / max(sum(count), 1),
        'worstClass': {'accuracy': accuracy[worst], 'classIndex': worst},
        'nsd': nsd,
    }


def check_supported(spec):
    if spec.get('distiller') or spec.get('teacher'):
        raise Refused(f"arm '{spec.get('name')}' uses a distiller ({(spec.get('distiller') or {}).get('id')}); only SAT and TRADES arms are reproduced")
    fairness = (spec.get('fairness') or {'id': 'identity'})['id']
    if fairness != 'identity':
        raise Refused(f"arm '{spec.get('name')}' uses fairness strategy '{fairness}'; only 'identity' is reproduced")
    method = (spec.get('objective') or {'id': 'sat'})['id']
    if method not in ('sat', 'trades'):
        raise Refused(f"objective '{method}' is not reproduced; only sat and trades")
    if spec['dataset']['id'] != 'cifar10':
        raise Refused(f"dataset '{spec['dataset']['id']}' is not reproduced; only cifar10")
    if (spec.get('weightAveraging') or {}).get('kind', 'none') != 'none':
        raise Refused('weight averaging is not reproduced')
    return method


def run(result, seed, data_directory, threads, weights=None):
    spec, resolved = result['spec'], result['resolvedOptions']
    method = check_supported(spec)
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    dataset_options = resolved.get('dataset', spec['dataset']).get('options', {})
    indices, data = load_data(data_directory, dataset_options)
    model = build_model(resolved.get('model', spec['model']))
    training = spec['training']
    optimizer_options = training.get('optimizer', {})
    base_rate = number(optimizer_options.get('learningRate', 0.1))
    # torch.optim.SGD is what robustfair's SGD reproduces (weight decay on every parameter).
    optimizer = torch.optim.SGD(model.parameters(), lr=base_rate, momentum=number(optimizer_options.get('momentum', 0.9)),
                                weight_decay=number(optimizer_options.get('weightDecay', 2e-4)), nesterov=bool(optimizer_options.get('nesterov', False)))
    epochs, batch_size, epsilon = int(training['epochs']), int(training.get('batchSize', 128)), number(training.get('epsilon', 8 / 255))
    attack_choice = resolved.get('trainingAttack', spec.get('trainingAttack', {'id': 'pgd'}))
    training_attack = Attack(attack_choice['id'], attack_choice.get('options', {}), 'trainingAttack')
    beta = number(((resolved.get('objective') or spec.get('objective') or {}).get('options') or {}).get('beta', 6))
    augmentation = dataset_options.get('augmentation') or {}
    evaluation = spec.get('evaluation', {})
    evaluation_epsilon = number(evaluation['epsilon']) if evaluation.get('epsilon') is not None else epsilon
    evaluation_batch = int(evaluation.get('batchSize', 256))

    selection = spec.get('selection') or {'rule': 'last'}
    selection_record = {'rule': selection.get('rule', 'last'), 'split': selection.get('split', 'validation'), 'scores': [], 'chosenEpoch': None}
    selection_attack = None
    if selection_record['rule'] != 'last':
        _, selection_attack, _ = resolve_evaluation_attack(selection.get('attack', 'pgd20'), {})
        if selection_attack is None:
            raise Refused('the selection attack is not an fgsm/pgd attack')
    best_score, best_state = None, None

    train_x, train_y = data['train']
    started = time.time()
    epoch_records = []
    if weights is not None:
        # robustfair's own trained weights (`robustfair export`): no training, so the evaluation
        # protocol alone is compared, image by image
        model.load_state_dict(load_safetensors(weights), strict=True)
        epochs, selection_record['rule'] = 0, 'weights given'
    for epoch in range(epochs):
        epoch_started = time.time()
        rate = learning_rate_at(training.get('schedule', {'type': 'constant'}), base_rate, epoch, epochs)
        for group in optimizer.param_groups:
            group['lr'] = rate
        order = torch.randperm(len(train_y), generator=generator)
        losses = []
        # every batch, the last partial one included (robustfair keeps it too)
        for begin in range(0, len(order), batch_size):
            chosen = order[begin:begin + batch_size]
            inputs = augment(train_x[chosen], augmentation, generator) if augmentation else train_x[chosen]
            losses.append(train_step(model, optimizer, method, beta, training_attack, inputs, train_y[chosen], epsilon, generator))
        record = {'epoch': epoch, 'learningRate': rate, 'meanLoss': sum(losses) / len(losses), 'seconds': time.time() - epoch_started}
        rule = selection_record['rule']
        if rule != 'last' and epoch >= selection.get('fromEpoch', 0) and (epoch - selection.get('fromEpoch', 0)) % selection.get('every', 1) == 0:
            split_x, split_y = data[selection_record['split']]
            summary = summarize(split_y, correct_flags(model, split_x, split_y, evaluation_batch, selection_attack, evaluation_epsilon, generator))
            score = summary['average'] + (summary['worstClass']['accuracy'] if rule == 'average-plus-worst' else 0)
            selection_record['scores'].append({'epoch': epoch, 'average': summary['average'], 'worstClass': summary['worstClass']['accuracy'], 'score': score})
            # strictly better only: ties keep the earlier epoch, as robustfair's monitor does
            if best_score is None or score > best_score:
                best_score, best_state = score, {name: value.clone() for name, value in model.state_dict().items()}
                selection_record['chosenEpoch'] = epoch
        epoch_records.append(record)
    if best_state is not None:
        model.load_state_dict(best_state)
    train_seconds = time.time() - started

    evaluation_started = time.time()
    split_x, split_y = data[evaluation.get('split', 'test')]
    correct = {'clean': correct_flags(model, split_x, split_y, evaluation_batch)}
    skipped = []
    for entry in evaluation.get('attacks', ['pgd20']):
        row, attack, per_class = resolve_evaluation_attack(entry, resolved)
        if attack is None or per_class is not None:
            skipped.append(row)  # AutoAttack rows: official_autoattack.py on the exported weights
            continue
        correct[row] = correct_flags(model, split_x, split_y, evaluation_batch, attack, evaluation_epsilon, generator)
    if len(correct) > 1:
        correct['worst-case'] = torch.stack(list(correct.values())).all(0)
    rows = [{'id': row, **summarize(split_y, flags)} for row, flags in correct.items()]
    return {
        'schemaVersion': 1,
        'kind': 'robustfair-pytorch-reference',
        'arm': spec.get('name'),
        'method': method,
        'seed': seed,
        'weights': weights,
        'robustfairSeed': result.get('seed'),
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'wallSeconds': {'training': train_seconds, 'evaluation': time.time() - evaluation_started, 'total': time.time() - started},
        'samples': {split: len(values) for split, values in indices.items()},
        'epsilon': evaluation_epsilon,
        'epochs': epoch_records,
        'selection': selection_record,
        'rows': rows,
        'skipped': skipped,
        'perSample': {'labels': split_y.tolist(), 'correct': {row: flags.tolist() for row, flags in correct.items()}},
    }


def finite(value):
    """NaN (an empty class, NSD of a zero mean) as null: JSON has no NaN, and Node's JSON.parse refuses it."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finite(item) for item in value]
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--result', required=True, help="the robustfair arm's result.json")
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--data', required=True, help='the CIFAR-10 binary directory (data_batch_1..5.bin, test_batch.bin)')
    parser.add_argument('--out', help='where to write the JSON (default: stdout)')
    parser.add_argument('--threads', type=int, default=1, help='torch threads (default 1: the machine is shared)')
    parser.add_argument('--selection-only', action='store_true', help='print the selected image indices and stop')
    parser.add_argument('--weights', help="evaluate these exported weights (`robustfair export`) instead of training")
    args = parser.parse_args(argv)
    with open(args.result) as handle:
        result = json.load(handle)
    try:
        if args.selection_only:
            options = result['resolvedOptions'].get('dataset', result['spec']['dataset']).get('options', {})
            indices, _ = load_data(args.data, options)
            output = indices
        else:
            output = run(result, args.seed, args.data, args.threads, args.weights)
    except Refused as error:
        print(f'reference_arm.py: refused: {error}', file=sys.stderr)
        return 2
    text = json.dumps(finite(output), allow_nan=False)
    if args.out:
        with open(args.out, 'w') as handle:
            handle.write(text + '\n')
    else:
        print(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
