package dev.parley.e2e.load;

import dev.parley.cli.DurationConverter;
import dev.parley.cli.ManifestVersionProvider;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Protocol;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code parley-load}: opens N connections to a protocol v1 server, sends direct messages at a
 * fixed total rate around the ring of connections, and reports delivery guarantees and latency,
 * optionally next to the same load against the trivial relay (the machine's latency floor).
 * Exit code 0: run complete and clean; 1: something lost, duplicated or out of order (or the
 * run could not happen); 2: bad usage.
 */
@Command(name = "parley-load", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = ManifestVersionProvider.class,
        subcommands = dev.parley.e2e.reconnect.ReconnectCommand.class,
        description = {
            "Open-loop load generator for Parley protocol v1.",
            "Connection i logs in as <user-prefix>i and sends direct messages to the user",
            "of connection i+1, so each message has exactly one recipient session.",
            "Latency is measured from each message's intended send time.",
            "Progress goes to stderr, the report to stdout.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:run complete, nothing lost, duplicated or out of order",
            "1:something lost, duplicated or out of order, or the run could not be made",
            "2:bad usage"})
public final class LoadGeneratorCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Mixin
    private TargetOptions target;

    @Option(names = "--connections", defaultValue = "100", paramLabel = "N",
            description = "Concurrent connections, one user each (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--rate", defaultValue = "1000", paramLabel = "R",
            description = "Direct messages per second across all connections, open loop (default: ${DEFAULT-VALUE}).")
    private long rate;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "Measured window, after the warmup (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
            description = "Load before the window; its latencies are not recorded (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = "--drain", defaultValue = "5s", converter = DurationConverter.class,
            description = "Longest wait for outstanding acks and deliveries after the last send (default: ${DEFAULT-VALUE}).")
    private Duration drain;

    @Option(names = "--user-prefix", defaultValue = "lg",
            description = "Users are <prefix><i>; re-runs reuse them. Runs at the same time against one "
                    + "service need different prefixes, or each sees the other's messages (default: ${DEFAULT-VALUE}).")
    private String userPrefix;

    @Option(names = "--text-bytes", defaultValue = "100",
            description = "Length of each message text, probe header included (default: ${DEFAULT-VALUE}).")
    private int textBytes;

    @Option(names = "--relay", description = "Run against the trivial relay, started as a child JVM on a free loopback port.")
    private boolean relay;

    @Option(names = "--baseline",
            description = "Run the same load first against the relay, then against --host/--port, and report both side by side.")
    private boolean baseline;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Option(names = "--max-pending", defaultValue = "1000",
            description = "Unanswered sends allowed per connection; sends past it are skipped and counted as backpressured (default: ${DEFAULT-VALUE}).")
    private int maxPending;

    @Option(names = "--hello-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Longest wait for one connection's TCP connect, and then for its welcome (default: ${DEFAULT-VALUE}).")
    private Duration helloTimeout;

    @Option(names = "--setup-timeout", defaultValue = "300s", converter = DurationConverter.class,
            description = "Longest time to log all connections in; the run goes on with those that did (default: ${DEFAULT-VALUE}).")
    private Duration setupTimeout;

    @Option(names = "--send-quantum", defaultValue = "0ms", converter = DurationConverter.class,
            description = "Least time between two hand-outs of the scheduler: batches sends per event loop "
                    + "wake-up at the cost of up to this much added latency (default: ${DEFAULT-VALUE}).")
    private Duration sendQuantum;

    @Option(names = "--target-pid", split = ",", paramLabel = "PID",
            description = "Processes of the target on this machine (e.g. the server and Redis) whose CPU use "
                    + "the report shows; repeatable or comma-separated.")
    private List<Long> targetPids = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with this tool's error handling: one-line reasons, exit codes 1 and 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LoadGeneratorCommand());
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("parley-load: " + e.getMessage());
            err.println("Try 'parley-load --help' for the options.");
            err.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("parley-load: " + e);
            err.flush();
            return EXIT_FAILED;
        });
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        LoadSettings settings = validatedSettings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadRun run = new LoadRun(settings, err);
        List<LoadReport> reports = new ArrayList<>();
        if (relay || baseline) {
            try (RelayProcess child = RelayProcess.start(err, Duration.ofSeconds(30))) {
                reports.add(run.run("relay", child.address(), List.of(child.handle())));
            }
        }
        if (!relay) {
            reports.add(run.run(baseline ? "server" : "target", target.address(), targetProcesses()));
        }
        out.print(json ? ReportFormatter.json(reports) : ReportFormatter.text(reports));
        out.flush();
        if (reports.stream().anyMatch(r -> r.messages().errors().containsKey(ErrorCode.RATE_LIMITED.name()))) {
            err.printf("parley-load: the target rate-limited sends (%d/s per connection offered here); "
                    + "use more --connections or a server with a higher --rate-limit%n", rate / connections);
            err.flush();
        }
        return reports.stream().allMatch(LoadReport::ok) ? EXIT_OK : EXIT_FAILED;
    }

    private LoadSettings validatedSettings() {
        require(!(relay && baseline), "--relay and --baseline exclude each other (--baseline runs the relay too)");
        target.validate(spec.commandLine());
        require(connections >= 2 && connections <= ProbeText.MAX_SENDER + 1,
                "--connections must be 2 to " + (ProbeText.MAX_SENDER + 1));
        require(rate >= 1, "--rate must be at least 1");
        require(!duration.isZero(), "--duration must be more than 0");
        require(Protocol.isValidUserName(userPrefix + (connections - 1)) && !userPrefix.isEmpty(),
                "--user-prefix plus the connection number must be a valid user name ([A-Za-z0-9_.-], at most 32)");
        int minText = ProbeText.headerLength(userPrefix);
        require(textBytes >= minText && textBytes <= Protocol.MAX_TEXT_CHARS,
                "--text-bytes must be " + minText + " to " + Protocol.MAX_TEXT_CHARS + " with this --user-prefix");
        require(maxPending >= 1, "--max-pending must be at least 1");
        require(!helloTimeout.isZero() && helloTimeout.toMillis() <= Integer.MAX_VALUE,
                "--hello-timeout must be more than 0");
        require(!setupTimeout.isZero(), "--setup-timeout must be more than 0");
        for (long pid : targetPids) {
            require(ProcessHandle.of(pid).isPresent(), "--target-pid " + pid + " is not a running process");
        }
        LoadSettings settings = new LoadSettings(connections, rate, warmup, duration, drain, userPrefix,
                target.password(), textBytes, maxPending, target.ioThreads(), target.maxPendingHellos(), helloTimeout, setupTimeout, sendQuantum);
        long total = settings.totalMessages();
        require(total >= 1, "--rate times (--warmup + --duration) must make at least one message");
        require(total <= SendScheduler.MAX_TOTAL && total / connections < Integer.MAX_VALUE,
                "--rate times (--warmup + --duration) makes too many messages");
        return settings;
    }

    private List<ProcessHandle> targetProcesses() {
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : targetPids) {
            ProcessHandle.of(pid).ifPresent(handles::add);
        }
        return handles;
    }

    private void require(boolean condition, String reason) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), reason);
        }
    }
}
