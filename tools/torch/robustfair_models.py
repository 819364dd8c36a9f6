"""PyTorch classes whose state_dict names and layouts are exactly those of @robustfair/models
(small-cnn, preact-resnet18), so weights move both ways: `robustfair export` -> load_state_dict
(strict=True) here, and torch.save -> safetensors -> `teacher.import` there. Used by the export
round-trip test and by the study's PyTorch reference (studies/cifar10-cpu/torch/)."""
import json
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallCnn(nn.Module):
    """conv3x3(w)-BN-ReLU, conv3x3(2w, s2)-BN-ReLU, conv3x3(4w, s2)-BN-ReLU, global average pool, fc."""

    def __init__(self, width=32, num_classes=10, channels=3):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, 2 * width, 3, 2, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(2 * width)
        self.conv3 = nn.Conv2d(2 * width, 4 * width, 3, 2, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(4 * width)
        self.fc = nn.Linear(4 * width, num_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = F.relu(self.bn3(self.conv3(x)))
        return self.fc(x.mean(dim=(2, 3)))


class PreActBlock(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False))

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, 'shortcut') else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class PreActResNet18(nn.Module):
    """CFA's PreActResNet-18 (final BN+ReLU) or FRL's (without), stages layer1..layer4, `linear`."""

    def __init__(self, width=64, num_classes=10, final_batch_norm=True, channels=3):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, width, 3, 1, 1, bias=False)
        in_planes = width
        for index, multiple in enumerate([1, 2, 4, 8]):
            planes = multiple * width
            blocks = []
            for block in range(2):
                blocks.append(PreActBlock(in_planes, planes, 2 if index > 0 and block == 0 else 1))
                in_planes = planes
            setattr(self, f'layer{index + 1}', nn.Sequential(*blocks))
        if final_batch_norm:
            self.bn = nn.BatchNorm2d(in_planes)
        self.linear = nn.Linear(in_planes, num_classes)

    def forward(self, x):
        out = self.layer4(self.layer3(self.layer2(self.layer1(self.conv1(x)))))
        if hasattr(self, 'bn'):
            out = F.relu(self.bn(out))
        return self.linear(out.mean(dim=(2, 3)))


def build(architecture, width, num_classes=10, channels=3):
    if architecture == 'small-cnn':
        return SmallCnn(width, num_classes, channels)
    if architecture == 'preact-resnet18':
        return PreActResNet18(width, num_classes, True, channels)
    raise ValueError(f'no PyTorch class for {architecture!r}')


_DTYPES = {'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16, 'F64': torch.float64, 'I64': torch.int64}


def load_safetensors(path):
    """A safetensors file as {name: tensor}, read with the standard library (no safetensors package)."""
    with open(path, 'rb') as handle:
        data = handle.read()
    (length,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        begin, end = entry['data_offsets']
        dtype = _DTYPES[entry['dtype']]
        chunk = bytearray(body[begin:end])
        tensors[name] = torch.frombuffer(chunk, dtype=dtype).reshape(entry['shape']).clone() if end > begin else torch.zeros(entry['shape'], dtype=dtype)
    return tensors


def save_safetensors(path, state_dict):
    """A state_dict as safetensors (float32 and int64), the layout `teacher.import` reads."""
    names = {torch.float32: 'F32', torch.int64: 'I64'}
    header, chunks, offset = {}, [], 0
    for name, tensor in state_dict.items():
        tensor = tensor.detach().contiguous().cpu()
        if tensor.dtype not in names:
            tensor = tensor.float()
        raw = tensor.numpy().tobytes()
        header[name] = {'dtype': names[tensor.dtype], 'shape': list(tensor.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    encoded += b' ' * ((8 - len(encoded) % 8) % 8)
    with open(path, 'wb') as handle:
        handle.write(struct.pack('<Q', len(encoded)) + encoded + b''.join(chunks))
