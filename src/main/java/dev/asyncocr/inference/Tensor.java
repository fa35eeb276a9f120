package dev.asyncocr.inference;

import java.util.Arrays;

/** A dense float tensor in row-major order, the currency between pre/post-processing and the engines. */
public record Tensor(float[] data, long[] shape) {

    public Tensor {
        long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (size != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
        }
    }

    public int dim(int axis) {
        return Math.toIntExact(shape[axis]);
    }
}
