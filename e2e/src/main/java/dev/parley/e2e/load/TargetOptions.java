package dev.parley.e2e.load;

import dev.parley.protocol.Protocol;
import java.net.InetSocketAddress;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The server the load goes to and how its users log in: the options {@code parley-load} and
 * {@code parley-load reconnect} share (a picocli mixin).
 */
public final class TargetOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "6000", description = "Server chat port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--password", defaultValue = "load-password",
            description = "Password of every load user (default: ${DEFAULT-VALUE}).")
    private String password;

    @Option(names = "--io-threads", defaultValue = "2",
            description = "Event loop threads of the generator (default: ${DEFAULT-VALUE}).")
    private int ioThreads;

    @Option(names = "--max-pending-hellos", defaultValue = "64",
            description = "Logins in flight at once; the server hashes passwords slowly (default: ${DEFAULT-VALUE}).")
    private int maxPendingHellos;

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    public String password() {
        return password;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public int maxPendingHellos() {
        return maxPendingHellos;
    }

    /** Refuses values that cannot work, naming the option. */
    public void validate(CommandLine commandLine) {
        require(commandLine, port >= 1 && port <= 65535, "--port must be 1 to 65535");
        require(commandLine, !password.isEmpty() && password.length() <= Protocol.MAX_PASSWORD_CHARS,
                "--password must be 1 to " + Protocol.MAX_PASSWORD_CHARS + " characters");
        require(commandLine, ioThreads >= 1, "--io-threads must be at least 1");
        require(commandLine, maxPendingHellos >= 1, "--max-pending-hellos must be at least 1");
    }

    private static void require(CommandLine commandLine, boolean condition, String reason) {
        if (!condition) {
            throw new ParameterException(commandLine, reason);
        }
    }
}
