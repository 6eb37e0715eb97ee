package dev.parley.operator;

import dev.parley.cli.ManifestVersionProvider;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operator's command line. Every option also reads an environment variable (what the Helm
 * chart sets); a bad value ends the process with exit code 2 and a one-line reason.
 */
@Command(name = "chat-operator", mixinStandardHelpOptions = true, versionProvider = ManifestVersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Parley's Kubernetes operator: runs a chat service for each ChatService resource.")
public final class OperatorCommand implements Callable<Integer> {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    @Option(names = "--server-image", paramLabel = "IMAGE",
            defaultValue = "${env:PARLEY_SERVER_IMAGE:-localhost/parley/chat-server:dev}",
            description = "Chat server image for ChatServices that name none (env PARLEY_SERVER_IMAGE, default ${DEFAULT-VALUE}).")
    String serverImage;

    @Option(names = "--redis-image", paramLabel = "IMAGE",
            defaultValue = "${env:PARLEY_REDIS_IMAGE:-docker.io/library/redis:7.0}",
            description = "Redis image for ChatServices that name none (env PARLEY_REDIS_IMAGE, default ${DEFAULT-VALUE}).")
    String redisImage;

    @Option(names = "--namespaces", paramLabel = "NS[,NS...]", defaultValue = "${env:PARLEY_NAMESPACES:-}",
            description = "Namespaces to watch, comma-separated; empty watches all (env PARLEY_NAMESPACES).")
    String namespaces;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:PARLEY_HTTP_PORT:-8081}",
            description = "HTTP port for /healthz, /readyz and /metrics; 0 picks a free one (env PARLEY_HTTP_PORT, default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--leader-election", negatable = true, defaultValue = "${env:PARLEY_LEADER_ELECTION:-false}",
            fallbackValue = "true",
            description = "Run as one of several replicas: only the holder of a Lease reconciles (env PARLEY_LEADER_ELECTION, default ${DEFAULT-VALUE}).")
    boolean leaderElection;

    @Option(names = "--leader-election-namespace", paramLabel = "NS", defaultValue = "${env:POD_NAMESPACE:-}",
            description = "Namespace of the Lease (env POD_NAMESPACE; default the client's namespace).")
    String leaderElectionNamespace;

    @Option(names = "--identity", paramLabel = "NAME", defaultValue = "${env:POD_NAME:-}",
            description = "This replica's name in the Lease and in Events (env POD_NAME; default the host name).")
    String identity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private OperatorConfig parsed;

    @Override
    public Integer call() {
        if (serverImage.isBlank()) {
            throw bad("--server-image must not be empty");
        }
        if (redisImage.isBlank()) {
            throw bad("--redis-image must not be empty");
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw bad("--http-port must be between 0 and 65535, got " + httpPort);
        }
        Set<String> watched = new LinkedHashSet<>();
        for (String ns : Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            if (!DNS_LABEL.matcher(ns).matches() || ns.length() > 63) {
                throw bad("--namespaces: '" + ns + "' is not a namespace name");
            }
            watched.add(ns);
        }
        parsed = new OperatorConfig(serverImage.trim(), redisImage.trim(), Set.copyOf(watched), httpPort, leaderElection,
                leaderElectionNamespace.isBlank() ? null : leaderElectionNamespace.trim(),
                identity.isBlank() ? hostName() : identity.trim());
        return 0;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "chat-operator-" + ProcessHandle.current().pid();
        }
    }

    /** The validated options; null until {@link #call()} succeeded. */
    public OperatorConfig config() {
        return parsed;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
