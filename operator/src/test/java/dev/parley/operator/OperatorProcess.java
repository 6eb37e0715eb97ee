package dev.parley.operator;

import dev.parley.testkit.ManagedProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * operator/target/chat-operator.jar as a process on this machine, against the API server in the
 * KUBECONFIG given in {@code env}, watching one namespace.
 */
public class OperatorProcess extends ManagedProcess {
    private final int httpPort;

    public OperatorProcess(Path jar, String namespace, int httpPort, Map<String, String> env, Path log) {
        super("chat-operator", List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(),
                "--namespaces", namespace, "--http-port", String.valueOf(httpPort)), env, log);
        this.httpPort = httpPort;
    }

    /** The shaded jar the package phase builds, the one the README tells users to run. */
    public static Path jar() {
        return Path.of(System.getProperty("parley.repo.root", ".."), "operator", "target", "chat-operator.jar");
    }

    /** Starts the process and waits until /readyz answers 200, at most a minute. */
    @Override
    public void start() {
        super.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).timeout(Duration.ofSeconds(2)).build();
        Awaitility.await("the operator's /readyz").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    if (!isAlive()) {
                        throw new AssertionError("the operator exited at start; its log:\n" + logText());
                    }
                    return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    /** SIGTERM; the JVM runs the shutdown hook and exits 143 (128 + SIGTERM), or 0. */
    public void stop() {
        int code = stop(Duration.ofSeconds(30));
        if (code != 0 && code != 143) {
            throw new IllegalStateException("the operator exited " + code + " on SIGTERM; its log:\n" + logText());
        }
    }

    public String logs() {
        return logText();
    }
}
