package dev.asyncocr.inference;

import java.util.Optional;

/**
 * Where a model runs: on the device asked for, or on the CPU with the reason a GPU asked for could not
 * be used.
 */
public record Placement(Device device, Optional<String> gpuUnavailable) {

    /** On the device asked for, unless a GPU was asked for and {@code whyNotGpu} says why it cannot be. */
    public static Placement of(Device asked, String whyNotGpu) {
        boolean gpu = asked == Device.GPU && whyNotGpu == null;
        return new Placement(gpu ? Device.GPU : Device.CPU, Optional.ofNullable(whyNotGpu));
    }
}
