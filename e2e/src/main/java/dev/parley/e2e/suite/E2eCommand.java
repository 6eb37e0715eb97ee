package dev.parley.e2e.suite;

import dev.parley.cli.DurationConverter;
import dev.parley.cli.ManifestVersionProvider;
import dev.parley.e2e.suite.report.ConsoleSummary;
import dev.parley.e2e.suite.report.E2eReport;
import dev.parley.e2e.suite.report.ReportWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley-e2e}: the end-to-end suite against a deployed ChatService. Keeps a soak load
 * going through the NodePort while it scales, autoscales, deletes pods, rolls out and restarts
 * the operator, then checks every delivery invariant and writes the report. The deployment
 * itself is {@code scripts/e2e.sh}'s job.
 */
@Command(name = "parley-e2e", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = ManifestVersionProvider.class,
        description = {"End-to-end suite: load and faults against a deployed ChatService, with a report.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every scenario passed", "1:a scenario or an invariant failed", "2:bad usage"})
public final class E2eCommand implements Callable<Integer> {

    enum Mode { smoke, full }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--mode", defaultValue = "smoke",
            description = "smoke: a pod kill and a Redis kill, a few minutes; full: every scenario (default: ${DEFAULT-VALUE}).")
    private Mode mode;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "A node address that reaches the NodePort (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "30062", description = "The ChatService's NodePort (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--namespace", required = true, description = "Namespace of the ChatService.")
    private String namespace;

    @Option(names = "--name", defaultValue = "e2e", description = "Name of the ChatService (default: ${DEFAULT-VALUE}).")
    private String name;

    @Option(names = "--operator-namespace", description = "Namespace of the operator's pod (default: --namespace).")
    private String operatorNamespace;

    @Option(names = "--users", defaultValue = "40", description = "Users of the soak, one connection each (default: ${DEFAULT-VALUE}).")
    private int users;

    @Option(names = "--rate", defaultValue = "200", description = "Messages a second, open loop (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--high-rate", defaultValue = "1000",
            description = "Messages a second while the autoscaling scenario wants more pods (default: ${DEFAULT-VALUE}).")
    private double highRate;

    @Option(names = "--broadcast-every", defaultValue = "20",
            description = "One message in this many is a broadcast (default: ${DEFAULT-VALUE}).")
    private int broadcastEvery;

    @Option(names = "--rollout-image", description = "Image the rollout scenario moves the chat server to (full mode).")
    private String rolloutImage;

    @Option(names = "--steady", defaultValue = "20s", converter = DurationConverter.class,
            description = "Load alone at the start and the end (default: ${DEFAULT-VALUE}).")
    private Duration steady;

    @Option(names = "--scale-down-after", defaultValue = "60",
            description = "spec.autoscaling.scaleDownStabilizationSeconds in the autoscaling scenario (default: ${DEFAULT-VALUE}).")
    private int scaleDownAfter;

    @Option(names = "--report-dir", defaultValue = "e2e/target/report", description = "Where the report goes (default: ${DEFAULT-VALUE}).")
    private Path reportDir;

    private static final int TEXT_BYTES = 120;
    private static final int MAX_PENDING = 200;
    private static final String PASSWORD = "e2e-password";

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new E2eCommand());
        cl.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("parley-e2e: " + e.getMessage());
            err.println("Try --help for the options.");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("parley-e2e: " + e.getMessage());
            return 1;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (users < 2 || users > 500) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--users must be 2 to 500");
        }
        if (rate <= 0 || highRate <= 0 || rate / users > 40 || highRate / users > 40) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--rate and --high-rate must be above 0 and at most 40 per user (the server allows 50 frames/s per connection)");
        }
        if (mode == Mode.full && rolloutImage == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--mode full needs --rollout-image");
        }
        String opNs = operatorNamespace == null ? namespace : operatorNamespace;
        // Unique per run, so messages of earlier runs in the same service are told apart.
        String tag = "e2e" + Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        Soak.Settings settings = new Soak.Settings(new InetSocketAddress(host, port), users, tag + "u", PASSWORD,
                tag, rate, broadcastEvery, TEXT_BYTES, MAX_PENDING, 2);
        Soak soak = new Soak(settings, System.err);
        Instant startedAt = Instant.now();
        List<Scenarios.Run> runs;
        Soak.StoredHistory stored = null;
        List<String> setupFailures = new ArrayList<>();
        boolean drained;
        try (Kube kube = new Kube(namespace, name, opNs)) {
            System.err.println("parley-e2e " + mode + ": " + kube.describe() + ", NodePort " + host + ":" + port);
            soak.start(120);
            Scenarios scenarios = new Scenarios(soak, kube, users);
            try (AutoCloseable sampler = Scenarios.sampleReplicas(kube, soak.timeline())) {
                scenarios.steady("steady", steady);
                if (mode == Mode.full) {
                    scenarios.scale(2, 4, Duration.ofSeconds(15));
                }
                scenarios.killChatPod();
                scenarios.killRedisPod();
                if (mode == Mode.full) {
                    scenarios.rollout(rolloutImage);
                    scenarios.restartOperator(Duration.ofSeconds(20));
                    scenarios.autoscale(rate, highRate, Math.max(10, rate / 10), 2, 4, 50, scaleDownAfter, Duration.ofMinutes(5),
                            Duration.ofSeconds(scaleDownAfter).plusMinutes(4));
                }
                scenarios.steady("steady-end", Duration.ofSeconds(Math.min(10, steady.toSeconds())));
                drained = soak.stopAndDrain(60);
                if (!drained) {
                    setupFailures.add("drain: not every client was connected with its sends answered 60 s after the load stopped");
                }
                try {
                    stored = soak.readHistory();
                } catch (Exception e) {
                    setupFailures.add("history: could not read the history back: " + e.getMessage());
                }
            } catch (Exception e) {
                // Report what ran so far: the report says where and why the run stopped.
                setupFailures.add("run stopped early: " + e);
            } finally {
                runs = scenarios.runs();
            }
        }
        List<SoakLedger> ledgers = soak.stop();
        E2eReport report = Reports.build(mode.name(), startedAt, host + ":" + port, soak, ledgers, runs, stored,
                setupFailures);
        ReportWriter.write(report, reportDir);
        System.out.print(ConsoleSummary.format(report));
        System.out.println("Report: " + reportDir.resolve("index.html") + " and " + reportDir.resolve("summary.json"));
        return report.passed() ? 0 : 1;
    }
}
