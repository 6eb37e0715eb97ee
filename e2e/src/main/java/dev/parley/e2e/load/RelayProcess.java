package dev.parley.e2e.load;

import dev.parley.e2e.relay.RelayServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The relay running in a child JVM on a free loopback port, so that it gets its own heap, JIT and
 * threads like a real server would, instead of sharing the load generator's. The child watches
 * its standard input and exits when the pipe closes, so it never outlives this process.
 */
final class RelayProcess implements AutoCloseable {
    private final Process process;
    private final InetSocketAddress address;

    private RelayProcess(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /** Starts the child on this JVM's class path and waits for it to report its port. */
    static RelayProcess start(PrintWriter log, Duration timeout) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                RelayServer.class.getName(), "--host", "127.0.0.1", "--port", "0", "--exit-on-stdin-eof");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> forward(process, listening, log), "relay-output");
        reader.setDaemon(true);
        reader.start();
        try {
            InetSocketAddress address = listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new RelayProcess(process, address);
        } catch (ExecutionException | TimeoutException e) {
            stop(process);
            throw new IOException("relay child did not start within " + timeout.toMillis() + " ms"
                    + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")"), e);
        } catch (InterruptedException e) {
            stop(process);
            throw e;
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the child's output: the first listening line gives the port, the rest is passed on. */
    private static void forward(Process process, CompletableFuture<InetSocketAddress> listening, PrintWriter log) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!listening.isDone() && line.startsWith(RelayServer.LISTENING)) {
                    String hostPort = line.substring(RelayServer.LISTENING.length()).trim();
                    int colon = hostPort.lastIndexOf(':');
                    listening.complete(new InetSocketAddress(hostPort.substring(0, colon),
                            Integer.parseInt(hostPort.substring(colon + 1))));
                } else {
                    log.println("[relay] " + line);
                    log.flush();
                }
            }
            listening.completeExceptionally(new IOException("relay output ended"));
        } catch (IOException e) {
            listening.completeExceptionally(new UncheckedIOException(e));
        } catch (RuntimeException e) {
            listening.completeExceptionally(e);
        }
    }
}
