package dev.asyncocr.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What Linux's /proc says about a process: resident memory and CPU time used so far. */
final class ProcessStats {

    /** The kernel's clock tick for /proc CPU times; 100 on every Linux this runs on (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {
    }

    static double rssMb(long pid) {
        return statusMb(pid, "VmRSS:");
    }

    /** The most resident memory the process has had at any time (its high-water mark). */
    static double peakRssMb(long pid) {
        return statusMb(pid, "VmHWM:");
    }

    private static double statusMb(long pid, String field) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no " + field + " for process " + pid);
    }

    /** User plus system CPU seconds of the whole process, all threads. */
    static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the name may hold spaces
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND; // utime, stime
    }

    /** RSS and heap of this JVM, as {@code rss_mb} and {@code heap_mb}. */
    static Map<String, Object> memoryOfThisJvm() {
        return memory(rssMb(ProcessHandle.current().pid()),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
    }

    static Map<String, Object> memory(double rssMb, double heapMb) {
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("rss_mb", Latencies.round(rssMb));
        memory.put("heap_mb", Latencies.round(heapMb));
        return memory;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
