package dev.parley.e2e.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Samples CPU time of this process, of the target's processes when we know them (the relay
 * child, or the server and Redis given by pid), and the
 * machine's CPU pressure (Linux PSI: the share of time some runnable task, of any process, this
 * one included, waited for a CPU).
 * A load figure means little without these: the generator must not be the bottleneck, and on a
 * shared 2-core machine other work shows up as pressure and as latency.
 */
final class CpuSampler {
    private static final Path PSI_CPU = Path.of("/proc/pressure/cpu");

    private final List<ProcessHandle> target;

    CpuSampler(List<ProcessHandle> target) {
        this.target = List.copyOf(target);
    }

    /** A point in time; fields are -1 where the platform does not tell. */
    record Sample(long wallNanos, long selfCpuNanos, long[] perTargetCpuNanos, long pressureMicros) {
        /** Total CPU time of the target's processes, or -1 when there are none or one cannot be read. */
        long targetCpuNanos() {
            if (perTargetCpuNanos.length == 0) {
                return -1;
            }
            long total = 0;
            for (long n : perTargetCpuNanos) {
                if (n < 0) {
                    return -1;
                }
                total += n;
            }
            return total;
        }
    }

    /**
     * Average use between two samples; null where unknown. {@code perTargetCores} has one entry
     * per target process, in the order given (the server, then Redis, with --target-pid).
     */
    record Usage(Double generatorCores, Double targetCores, Double cpuPressure, List<Double> perTargetCores) {
        static final Usage UNKNOWN = new Usage(null, null, null, List.of());

        Usage {
            perTargetCores = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(perTargetCores)); // may hold nulls
        }
    }

    Sample sample() {
        // Clock and own CPU time are read back to back: reading /proc for the target can take a
        // while on a busy machine, and that delay must not fall between the two.
        long wall = System.nanoTime();
        long self = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            self = os.getProcessCpuTime();
        }
        return new Sample(wall, self, perTargetCpuNanos(), pressureMicros());
    }

    /** CPU time of each of the target's processes; -1 for one that cannot be read. */
    private long[] perTargetCpuNanos() {
        long[] out = new long[target.size()];
        for (int i = 0; i < out.length; i++) {
            Optional<Duration> cpu = target.get(i).info().totalCpuDuration();
            out[i] = cpu.map(Duration::toNanos).orElse(-1L);
        }
        return out;
    }

    static Usage between(Sample a, Sample b) {
        double wall = b.wallNanos() - a.wallNanos();
        if (wall <= 0) {
            return Usage.UNKNOWN;
        }
        List<Double> each = new java.util.ArrayList<>();
        if (a.perTargetCpuNanos().length == b.perTargetCpuNanos().length) {
            for (int i = 0; i < a.perTargetCpuNanos().length; i++) {
                long from = a.perTargetCpuNanos()[i];
                long to = b.perTargetCpuNanos()[i];
                each.add(from < 0 || to < 0 ? null : (to - from) / wall);
            }
        }
        return new Usage(
                a.selfCpuNanos() < 0 || b.selfCpuNanos() < 0 ? null : (b.selfCpuNanos() - a.selfCpuNanos()) / wall,
                a.targetCpuNanos() < 0 || b.targetCpuNanos() < 0 ? null : (b.targetCpuNanos() - a.targetCpuNanos()) / wall,
                a.pressureMicros() < 0 || b.pressureMicros() < 0 ? null
                        : (b.pressureMicros() - a.pressureMicros()) * 1000.0 / wall,
                each);
    }

    /** The "some ... total=" figure of /proc/pressure/cpu in microseconds, or -1. */
    static long pressureMicros() {
        try {
            return parsePressureTotal(Files.readAllLines(PSI_CPU));
        } catch (IOException | RuntimeException e) {
            // No PSI (not Linux, or a kernel without it): the report says "n/a".
            return -1;
        }
    }

    static long parsePressureTotal(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith("some ")) {
                int at = line.indexOf("total=");
                if (at >= 0) {
                    return Long.parseLong(line.substring(at + "total=".length()).trim());
                }
            }
        }
        return -1;
    }
}
