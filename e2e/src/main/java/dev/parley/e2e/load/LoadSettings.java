package dev.parley.e2e.load;

import java.time.Duration;

/** Everything one load run needs to know, parsed and checked by {@link LoadGeneratorCommand}. */
record LoadSettings(int connections, long rate, Duration warmup, Duration duration, Duration drain,
                    String userPrefix, String password, int textBytes, int maxPending, int ioThreads,
                    int maxPendingHellos, Duration helloTimeout, Duration setupTimeout, Duration sendQuantum) {

    /** Messages in the whole schedule, warmup included. */
    long totalMessages() {
        double seconds = (warmup.toNanos() + duration.toNanos()) / 1e9;
        return (long) Math.floor(rate * seconds);
    }
}
