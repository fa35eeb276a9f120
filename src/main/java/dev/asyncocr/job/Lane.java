package dev.asyncocr.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A job's priority, {@code priority=high|normal|low}: the queue lane it waits in. Workers take every queued
 * high job before any normal one, and every normal one before any low one; within a lane, first come first
 * served. A low job that waited {@code ocr.queue.max-low-wait} goes ahead of the others (the starvation guard).
 * Declared in the order workers take the lanes.
 */
public enum Lane {
    HIGH, NORMAL, LOW;

    /**
     * Places in the queue's order a lane spans: a job's place there is its lane's offset plus its sequence
     * ({@link Schedule#order}), normal at offset 0 so that places stored before lanes keep their meaning, and
     * small enough that every place stays exact as a Redis score (a double).
     */
    static final long SPAN = 1L << 40;

    /** The name on the wire: {@code high}, {@code normal}, {@code low}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The lane of a wire name; empty for another value. */
    public static Optional<Lane> ofWireName(String name) {
        return Arrays.stream(values()).filter(lane -> lane.wireName().equals(name)).findFirst();
    }

    /** Where the lane starts in the queue's order. */
    long offset() {
        return (ordinal() - NORMAL.ordinal()) * SPAN;
    }
}
