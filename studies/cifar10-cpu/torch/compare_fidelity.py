"""The study's two fidelity tables, in Markdown:

1. SAT and TRADES: robustfair vs the PyTorch reference (reference_arm.py) under the same protocol,
   Clean / FGSM / PGD-20 / CW-inf, Avg / Worst / NSD, each as mean +- 95 % t-interval over seeds
   (a single value when there is one seed).
2. AutoAttack: robustfair's `aa` row vs the official AutoAttack (official_autoattack.py) on the
   same exported weights and the same images: class-wise robust accuracy side by side, Avg /
   Worst / NSD, and per-sample agreement.

usage: python3 compare_fidelity.py \
           --robustfair RUN/sat-s0/sat-s0/result.json RUN/sat-s1/sat-s1/result.json ... \
           --pytorch sat-torch-s0.json sat-torch-s1.json trades-torch-s0.json ... \
           [--autoattack aa-official.json --autoattack-evaluation RUN/arm/arm/evaluation.json] \
           [--same-weights torch-weights.json --same-weights-evaluation RUN/arm/arm/evaluation.json] \
           [--out fidelity.md]
Arms are grouped by method (the spec's objective id; the reference's `method`). Standard library only.
"""
import argparse
import json
import math
import statistics

ROWS = [('clean', 'Clean'), ('fgsm', 'FGSM'), ('pgd20', 'PGD-20'), ('cw', 'CW∞')]
METRICS = [('average', 'Avg'), ('worst', 'Worst'), ('nsd', 'NSD')]
# two-sided 95 % Student-t quantiles by degrees of freedom (seeds − 1)
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}


def load(path):
    with open(path) as handle:
        return json.load(handle)


def robustfair_rows(result):
    """{row id: {average, worst, nsd}} from a robustfair result.json."""
    evaluation = result['evaluation']
    rows = {'clean': evaluation['clean'], **evaluation.get('attacks', {})}
    return result['spec'].get('objective', {}).get('id', 'sat'), {
        row: {'average': value['average'], 'worst': value['worstClass']['accuracy'], 'nsd': value['nsd']} for row, value in rows.items()}


def pytorch_rows(output):
    """{row id: {average, worst, nsd}} from a reference_arm.py output."""
    return output['method'], {row['id']: {'average': row['average'], 'worst': row['worstClass']['accuracy'], 'nsd': row['nsd']} for row in output['rows']}


def interval(values):
    """'mean ± half-width' of a 95 % t-interval, in percent for accuracies."""
    values = [value for value in values if value is not None and not math.isnan(value)]
    if not values:
        return '–'
    mean = statistics.fmean(values)
    if len(values) == 1:
        return f'{mean:.3f}'
    half = T95.get(len(values) - 1, 1.96) * statistics.stdev(values) / math.sqrt(len(values))
    return f'{mean:.3f} ± {half:.3f}'


def percent_interval(values):
    values = [value for value in values if value is not None]
    if not values:
        return '–'
    mean = 100 * statistics.fmean(values)
    if len(values) == 1:
        return f'{mean:.1f}'
    half = T95.get(len(values) - 1, 1.96) * 100 * statistics.stdev(values) / math.sqrt(len(values))
    return f'{mean:.1f} ± {half:.1f}'


def method_table(robustfair, pytorch):
    lines = ['| Method | Attack | Metric | robustfair | PyTorch |', '| --- | --- | --- | --- | --- |']
    methods = sorted(set(robustfair) | set(pytorch))
    for method in methods:
        ours, theirs = robustfair.get(method, []), pytorch.get(method, [])
        for row, row_label in ROWS:
            for metric, metric_label in METRICS:
                format_values = interval if metric == 'nsd' else percent_interval
                cells = [format_values([arm[row][metric] for arm in group if row in arm]) for group in (ours, theirs)]
                lines.append(f'| {method.upper()} | {row_label} | {metric_label} | {cells[0]} | {cells[1]} |')
    counts = ', '.join(f'{method.upper()}: {len(robustfair.get(method, []))} robustfair / {len(pytorch.get(method, []))} PyTorch seeds' for method in methods)
    return '\n'.join(lines) + f'\n\nAccuracies in %, NSD as a ratio; mean ± 95 % t-interval over seeds ({counts}).\n'


def autoattack_table(official, evaluation):
    """Robustfair's `aa` row vs the official run, matched image by image through the positions in
    the evaluation split (robustfair's perSample.subsets.aa)."""
    if isinstance(evaluation.get('epsilon'), (int, float)) and abs(evaluation['epsilon'] - official['epsilon']) > 1e-9:
        raise SystemExit(f"compare_fidelity.py: robustfair evaluated at epsilon {evaluation['epsilon']}, the official run at {official['epsilon']}")
    per_sample = evaluation['perSample']
    positions = per_sample.get('subsets', {}).get('aa', list(range(len(per_sample['labels']))))
    ours = dict(zip(positions, per_sample['correct']['aa']))
    theirs = dict(zip(official['positions'], official['autoattack']['flags']))
    if set(ours) != set(theirs):
        raise SystemExit(f'compare_fidelity.py: the two AutoAttack runs saw different images ({len(set(ours) ^ set(theirs))} differ)')
    labels = [per_sample['labels'][position] for position in official['positions']]
    if labels != official['labels']:
        raise SystemExit('compare_fidelity.py: the labels of the AutoAttack images differ: not the same images')
    ours_flags = [ours[position] for position in official['positions']]
    theirs_flags = official['autoattack']['flags']
    lines = ['| Class | robustfair `aa` | official AutoAttack | images |', '| --- | --- | --- | --- |']
    for label in range(10):
        members = [i for i, value in enumerate(labels) if value == label]
        if not members:
            continue
        mine, other = sum(ours_flags[i] for i in members), sum(theirs_flags[i] for i in members)
        lines.append(f'| {label} | {100 * mine / len(members):.1f} | {100 * other / len(members):.1f} | {len(members)} |')
    row = next(row for row in evaluation['rows'] if row['id'] == 'aa')
    official_row = official['autoattack']
    lines.append(f"| Avg | {100 * row['average']:.1f} | {100 * official_row['average']:.1f} | {len(labels)} |")
    lines.append(f"| Worst | {100 * row['worstClass']['accuracy']:.1f} | {100 * official_row['worstClass']['accuracy']:.1f} | |")
    nsd = [row['nsd'], official_row['nsd']]
    lines.append('| NSD | ' + ' | '.join('–' if value is None or (isinstance(value, float) and math.isnan(value)) else f'{value:.3f}' for value in nsd) + ' | |')
    agree = sum(a == b for a, b in zip(ours_flags, theirs_flags))
    only_ours = sum(a and not b for a, b in zip(ours_flags, theirs_flags))
    only_theirs = sum(b and not a for a, b in zip(ours_flags, theirs_flags))
    return ('\n'.join(lines) + f'\n\nPer-sample agreement: {agree} of {len(labels)} images get the same verdict '
            f'({only_ours} robust only under robustfair, {only_theirs} only under the official code). '
            f"Same weights (`robustfair export`), same images (first {official['perClass']} test images of each class), "
            f"ε = {official['epsilon']:.5f}; official AutoAttack version='standard', seed {official_row['seed']}, torch {official['torch']}.\n")


def same_weights_table(reference, evaluation):
    """reference_arm.py --weights (PyTorch attacks on robustfair's exported weights) vs robustfair's
    evaluation.json of those weights: per row Avg and image-by-image agreement."""
    ours = evaluation['perSample']['correct']
    if reference['perSample']['labels'] != evaluation['perSample']['labels']:
        raise SystemExit('compare_fidelity.py: the same-weights runs saw different test images')
    lines = ['| Attack | robustfair Avg | PyTorch Avg | same verdict |', '| --- | --- | --- | --- |']
    robustfair_rows = {row['id']: row for row in evaluation['rows']}
    for row in reference['rows']:
        if row['id'] not in ours or row['id'] not in robustfair_rows:
            continue
        if row['id'] == 'worst-case' and reference.get('skipped'):
            continue  # robustfair's worst case may include a full-set row the reference skipped (AutoAttack)
        theirs = reference['perSample']['correct'][row['id']]
        agree = sum(a == b for a, b in zip(ours[row['id']], theirs))
        lines.append(f"| {row['id']} | {100 * robustfair_rows[row['id']]['average']:.1f} | {100 * row['average']:.1f} | {agree} / {len(theirs)} |")
    return '\n'.join(lines) + '\n\nThe random starts differ (torch vs robustfair streams); everything else is the same weights and images.\n'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--robustfair', nargs='*', default=[], help='robustfair result.json files (one per arm and seed)')
    parser.add_argument('--pytorch', nargs='*', default=[], help='reference_arm.py outputs')
    parser.add_argument('--autoattack', help='official_autoattack.py output')
    parser.add_argument('--autoattack-evaluation', help="evaluation.json of the arm whose weights official_autoattack.py attacked")
    parser.add_argument('--same-weights', help='reference_arm.py --weights output (optional third table)')
    parser.add_argument('--same-weights-evaluation', help="robustfair's evaluation.json of those weights")
    parser.add_argument('--out', help='write the Markdown here as well as to stdout')
    args = parser.parse_args(argv)
    robustfair, pytorch = {}, {}
    for path in args.robustfair:
        method, rows = robustfair_rows(load(path))
        robustfair.setdefault(method, []).append(rows)
    for path in args.pytorch:
        method, rows = pytorch_rows(load(path))
        pytorch.setdefault(method, []).append(rows)
    parts = []
    if robustfair or pytorch:
        parts.append('### robustfair vs PyTorch, same protocol\n\n' + method_table(robustfair, pytorch))
    if args.autoattack:
        if not args.autoattack_evaluation:
            parser.error('--autoattack needs --autoattack-evaluation (the arm\'s evaluation.json)')
        parts.append('### AutoAttack: robustfair vs the official implementation, same weights and images\n\n'
                     + autoattack_table(load(args.autoattack), load(args.autoattack_evaluation)))
    if args.same_weights:
        if not args.same_weights_evaluation:
            parser.error('--same-weights needs --same-weights-evaluation')
        parts.append("### Evaluation only: PyTorch's attacks on robustfair's weights\n\n"
                     + same_weights_table(load(args.same_weights), load(args.same_weights_evaluation)))
    text = '\n'.join(parts)
    if args.out:
        with open(args.out, 'w') as handle:
            handle.write(text)
    print(text, end='')


if __name__ == '__main__':
    main()
