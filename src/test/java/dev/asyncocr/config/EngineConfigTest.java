package dev.asyncocr.config;

import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineType;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the engine's thread count resolves to when it is not set, and that a setting wins. */
class EngineConfigTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static EngineConfig threads(OptionalInt setting) {
        return new EngineConfig() {
            @Override
            public EngineType type() {
                return EngineType.AUTO;
            }

            @Override
            public Device device() {
                return Device.CPU;
            }

            @Override
            public OptionalInt configuredIntraOpThreads() {
                return setting;
            }
        };
    }

    @Test
    void unsetTheCoresAreSharedOutAmongTheInferencesAtOnce() {
        EngineConfig unset = threads(OptionalInt.empty());
        assertEquals(1, unset.options(CORES).intraOpThreads(), "one per core: one thread each");
        assertEquals(CORES, unset.options(1).intraOpThreads(), "one inference: all the cores");
        assertEquals(1, unset.options(4 * CORES).intraOpThreads(), "never below one");
    }

    @Test
    void aSettingWinsAndZeroLeavesItToTheEngine() {
        assertEquals(3, threads(OptionalInt.of(3)).options(CORES).intraOpThreads());
        assertEquals(0, threads(OptionalInt.of(0)).options(CORES).intraOpThreads());
    }
}
