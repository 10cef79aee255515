"""Geometry of a stack of square VALID convolutions (as in ConvNCF's CNN tower).

He, Du, Wang, Tian, Tang and Chua, "Outer Product-based Neural Collaborative
Filtering", IJCAI 2018: the tower must shrink a ``d x d`` interaction map to ``1 x 1``.
"""

from __future__ import annotations

from typing import List, Sequence

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_dims


def valid_conv_size(size: int, kernel: int, stride: int) -> int:
    """Output height (or width) of a VALID convolution.

    Args:
        size: Input height.
        kernel: Kernel height.
        stride: Stride.

    Returns:
        ``(size - kernel) // stride + 1`` (0 or less when the kernel does not fit).
    """
    return (size - kernel) // stride + 1


def tower_sizes(input_size: int, channels: Sequence[int], kernels: Sequence[int],
                strides: Sequence[int], scope: str) -> List[int]:
    """Check a CNN tower and return the spatial size after every layer.

    The tower maps a ``[input_size, input_size, channels[0]]`` map through
    ``len(kernels)`` VALID convolutions; layer ``l`` (1-based) has kernel
    ``kernels[l-1]``, stride ``strides[l-1]`` and ``channels[l]`` output channels. The
    last layer must output exactly ``1 x 1``.

    Args:
        input_size: Height (= width) of the input map.
        channels: ``len(kernels) + 1`` channel counts, input channels first.
        kernels: Kernel sizes.
        strides: Strides.
        scope: Scope of the module asking, for messages.

    Returns:
        ``[input_size, size after layer 1, ..., 1]``.

    Raises:
        ShapeError: list lengths disagree, a value is not a positive integer, a kernel
            is larger than its layer's input, or the last output is not ``1 x 1``.
    """
    channels = require_dims(channels, scope, "cnn_channels")
    kernels = require_dims(kernels, scope, "cnn_kernels")
    strides = require_dims(strides, scope, "cnn_strides")
    if len(channels) != len(kernels) + 1 or len(kernels) != len(strides):
        raise ShapeError(scoped(scope, (
            f"`cnn_channels` needs one entry more than `cnn_kernels` and `cnn_strides` "
            f"(input channels first); got {len(channels)} channels, {len(kernels)} kernels, "
            f"{len(strides)} strides.")))
    sizes = [int(input_size)]
    for layer, (kernel, stride) in enumerate(zip(kernels, strides), start=1):
        if kernel > sizes[-1]:
            raise ShapeError(scoped(scope, (
                f"conv layer {layer} has kernel {kernel}x{kernel} but its input is only "
                f"{sizes[-1]}x{sizes[-1]} (sizes so far {sizes}); use a smaller kernel or "
                "fewer layers.")))
        sizes.append(valid_conv_size(sizes[-1], kernel, stride))
    if sizes[-1] != 1:
        raise ShapeError(scoped(scope, (
            f"the last conv layer ({len(kernels)}) outputs {sizes[-1]}x{sizes[-1]}, but the "
            f"tower must end at 1x1 (sizes per layer {sizes} for kernels {kernels}, strides "
            f"{strides}); change the kernels/strides so that the sizes reach 1.")))
    return sizes
