package dev.parley.e2e.reconnect;

import dev.parley.cli.DurationConverter;
import dev.parley.e2e.net.Transport;
import dev.parley.protocol.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import dev.parley.e2e.load.TargetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code parley-load reconnect}: logs N users in, waits while someone restarts the server (or a
 * replica), and measures how long the users take to be back, the way chat clients come back:
 * each on its own, after a short random delay, with the resume token of its last welcome.
 */
@Command(name = "reconnect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measures a reconnection storm: logs --connections users in, then waits for their",
            "connections to drop (restart the server meanwhile) and reports how long all of them",
            "took to be logged in again, and how (resume token or password).",
            "Progress goes to stderr, the report to stdout.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every connection dropped and came back in time",
            "1:some did not log in, did not drop, or did not come back in time",
            "2:bad usage"})
public final class ReconnectCommand implements Callable<Integer> {
    private static final int EXIT_OK = 0;
    private static final int EXIT_FAILED = 1;

    @Spec
    private CommandSpec spec;

    @Mixin
    private TargetOptions target;

    @Option(names = "--connections", defaultValue = "5000", paramLabel = "N",
            description = "Users, one connection each (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--user-prefix", defaultValue = "rc",
            description = "Users are <prefix><i>; re-runs reuse them (default: ${DEFAULT-VALUE}).")
    private String userPrefix;

    @Option(names = "--no-tokens", negatable = false,
            description = "Come back with the password instead of the resume token (the cost of a v1.0 client).")
    private boolean noTokens;

    @Option(names = "--setup-timeout", defaultValue = "600s", converter = DurationConverter.class,
            description = "Longest time to log every user in the first time (default: ${DEFAULT-VALUE}).")
    private Duration setupTimeout;

    @Option(names = "--drop-timeout", defaultValue = "600s", converter = DurationConverter.class,
            description = "Longest wait, once all are in, for the first connection to drop (default: ${DEFAULT-VALUE}).")
    private Duration dropTimeout;

    @Option(names = "--timeout", defaultValue = "300s", converter = DurationConverter.class,
            description = "Longest time from the first drop until every user is back (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(target.ioThreads(), "parley-reconnect");
        StormTally tally = new StormTally();
        List<StormClient> clients = new ArrayList<>(connections);
        try {
            Bootstrap template = new Bootstrap().group(group).channel(transport.socketChannel())
                    .remoteAddress(target.address())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
            for (int i = 0; i < connections; i++) {
                clients.add(new StormClient(userPrefix + i, target.password(), !noTokens, group.next(), template, tally));
            }
            boolean ok = logEveryoneIn(clients, tally, err) && awaitStorm(tally, err);
            StormTally.Snapshot result = tally.snapshot();
            out.print(report(result));
            out.flush();
            return ok && result.back() == connections ? EXIT_OK : EXIT_FAILED;
        } finally {
            clients.forEach(StormClient::stop);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Starts the clients with at most --max-pending-hellos first logins in flight. */
    private boolean logEveryoneIn(List<StormClient> clients, StormTally tally, PrintWriter err)
            throws InterruptedException {
        long deadline = System.nanoTime() + setupTimeout.toNanos();
        Progress progress = new Progress(err);
        int started = 0;
        while (tally.firstLogins() + tally.failed() < connections) {
            if (System.nanoTime() >= deadline) {
                err.printf("[reconnect] only %d of %d users logged in within %d s%n", tally.firstLogins(),
                        connections, setupTimeout.toSeconds());
                return false;
            }
            while (started < connections && started - tally.firstLogins() - tally.failed() < target.maxPendingHellos()) {
                clients.get(started++).start();
            }
            progress.maybe(() -> String.format(Locale.ROOT, "[reconnect] logging in: %d/%d", tally.firstLogins(),
                    connections));
            tally.awaitChange(deadline);
        }
        if (tally.failed() > 0) {
            err.printf("[reconnect] %d users could not log in%n", tally.failed());
            return false;
        }
        err.printf("[reconnect] %d/%d logged in; restart the server now (waiting up to %d s for the drop)%n",
                connections, connections, dropTimeout.toSeconds());
        err.flush();
        return true;
    }

    /** Waits for the first drop, then until every dropped user is back and every user has dropped. */
    private boolean awaitStorm(StormTally tally, PrintWriter err) throws InterruptedException {
        long dropDeadline = System.nanoTime() + dropTimeout.toNanos();
        while (tally.dropped() == 0) {
            if (System.nanoTime() >= dropDeadline) {
                err.printf("[reconnect] no connection dropped within %d s%n", dropTimeout.toSeconds());
                return false;
            }
            tally.awaitChange(dropDeadline);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Progress progress = new Progress(err);
        while (tally.back() < connections) {
            if (System.nanoTime() >= deadline || tally.failed() > 0) {
                err.printf("[reconnect] %d of %d back, %d dropped, %d gave up, %d s after the first drop%n",
                        tally.back(), connections, tally.dropped(), tally.failed(), timeout.toSeconds());
                return false;
            }
            progress.maybe(() -> String.format(Locale.ROOT, "[reconnect] back: %d/%d (%d dropped)", tally.back(),
                    connections, tally.dropped()));
            tally.awaitChange(deadline);
        }
        return true;
    }

    static String report(StormTally.Snapshot s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "users             %d logged in, %d dropped, %d back, %d gave up%n",
                s.firstLogins(), s.dropped(), s.back(), s.failed()));
        b.append(String.format(Locale.ROOT, "all back after    %s from the first drop, %s once the server took"
                + " connections (it was away %s)%n", seconds(s.allBackNanos()), seconds(s.fromAcceptNanos()),
                seconds(s.downNanos())));
        Histogram away = s.away();
        if (away.getTotalCount() > 0) {
            b.append(String.format(Locale.ROOT, "away per user     p50 %s  p99 %s  max %s%n",
                    millis(away.getValueAtPercentile(50)), millis(away.getValueAtPercentile(99)),
                    millis(away.getMaxValue())));
        }
        b.append("came back with    ");
        s.returnsBy().forEach((login, n) -> b.append(n).append(' ').append(login.name().toLowerCase(Locale.ROOT))
                .append("  "));
        b.append(System.lineSeparator());
        s.refusals().forEach((reason, n) -> b.append(String.format(Locale.ROOT, "refused/retried   %d x %s%n",
                n, reason)));
        return b.toString();
    }

    private static String seconds(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.0f ms", micros / 1000.0);
    }

    private void validate() {
        target.validate(spec.commandLine());
        require(connections >= 1 && connections <= 100_000, "--connections must be 1 to 100000");
        require(!userPrefix.isEmpty() && Protocol.isValidUserName(userPrefix + (connections - 1)),
                "--user-prefix plus the connection number must be a valid user name ([A-Za-z0-9_.-], at most 32)");
        require(!setupTimeout.isZero() && !dropTimeout.isZero() && !timeout.isZero(), "timeouts must be more than 0");
    }

    private void require(boolean condition, String reason) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), reason);
        }
    }

    /** A progress line at most once a second. */
    private static final class Progress {
        private final PrintWriter err;
        private long next = System.nanoTime();

        Progress(PrintWriter err) {
            this.err = err;
        }

        void maybe(Supplier<String> line) {
            long now = System.nanoTime();
            if (now >= next) {
                err.println(line.get());
                err.flush();
                next = now + TimeUnit.SECONDS.toNanos(1);
            }
        }
    }
}
