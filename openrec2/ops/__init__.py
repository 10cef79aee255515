"""Custom TensorFlow kernels of openrec2, compiled on first use (see :mod:`openrec2.ops.build`)."""
