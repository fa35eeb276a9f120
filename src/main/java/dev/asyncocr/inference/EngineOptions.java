package dev.asyncocr.inference;

/**
 * How the engines run every model they load.
 *
 * @param type           the engine for models given by path; the bundled models are ONNX
 * @param device         the device asked for; a GPU that cannot be used falls back to the CPU with a warning
 * @param intraOpThreads threads one CPU inference call may use, 0 for the engine's default (one per core)
 */
public record EngineOptions(EngineType type, Device device, int intraOpThreads) {

    public static EngineOptions cpu(int intraOpThreads) {
        return new EngineOptions(EngineType.AUTO, Device.CPU, intraOpThreads);
    }

    public EngineOptions on(Device other) {
        return new EngineOptions(type, other, intraOpThreads);
    }
}
