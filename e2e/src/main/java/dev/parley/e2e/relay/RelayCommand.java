package dev.parley.e2e.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Command line of the relay: binds, prints the address it listens on, serves until stopped. */
@Command(name = "parley-relay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trivial in-memory protocol v1 relay: the latency floor for the load generator.")
final class RelayCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "0", description = "Port to bind, 0 for a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--io-threads", description = "I/O threads (default: the number of processors).")
    private int ioThreads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-frame-bytes", defaultValue = "65536", description = "Longest accepted line (default: ${DEFAULT-VALUE}).")
    private int maxFrameBytes;

    @Option(names = "--exit-on-stdin-eof",
            description = "Stop when standard input closes: a parent that starts the relay as a child "
                    + "keeps the pipe open, so the relay cannot outlive it.")
    private boolean exitOnStdinEof;

    @Override
    public Integer call() throws Exception {
        try (RelayServer relay = RelayServer.start(host, port, ioThreads, maxFrameBytes)) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(RelayServer.LISTENING + relay.address().getHostString() + ":" + relay.address().getPort());
            out.flush();
            if (exitOnStdinEof) {
                Thread watcher = new Thread(() -> closeAtEof(System.in, relay), "relay-stdin-watch");
                watcher.setDaemon(true);
                watcher.start();
            }
            relay.awaitClose();
        }
        return 0;
    }

    private static void closeAtEof(InputStream in, RelayServer relay) {
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // The parent never writes; reading only waits for the end of the stream.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, which is the same signal as EOF.
        }
        relay.close();
    }
}
