package dev.asyncocr.inference;

/**
 * How the engine runs every model it loads.
 *
 * @param device         the device asked for; a GPU that cannot be used falls back to the CPU with a warning
 * @param intraOpThreads threads one CPU inference call may use, 0 for the engine's default (one per core)
 */
public record EngineOptions(Device device, int intraOpThreads) {

    public static EngineOptions cpu(int intraOpThreads) {
        return new EngineOptions(Device.CPU, intraOpThreads);
    }
}
