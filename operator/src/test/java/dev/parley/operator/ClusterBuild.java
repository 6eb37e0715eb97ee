package dev.parley.operator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the cluster build (`make kube-bins`, part of `make cluster-tools`) put the binaries the
 * tests run, as e2e/cluster/paths.sh reports it: the one place that names the cache folders from
 * the versions in e2e/cluster/versions.env (PARLEY_CLUSTER_CACHE moves the cache).
 * -Dparley.kube.bin and -Dparley.helm point elsewhere.
 */
public final class ClusterBuild {
    private ClusterBuild() {
    }

    /** The folder with kube-apiserver, etcd, kubectl and kube-controller-manager. */
    public static Path kubeBin() {
        String override = System.getProperty("parley.kube.bin");
        return override != null ? Path.of(override) : Path.of(Reported.ALL.get("KUBE_BIN"));
    }

    /** The helm binary. */
    public static Path helm() {
        String override = System.getProperty("parley.helm");
        return override != null ? Path.of(override) : Path.of(Reported.ALL.get("HELM_BIN")).resolve("helm");
    }

    /** paths.sh's answer, asked once per test run. */
    private static final class Reported {
        static final Map<String, String> ALL = read();

        private static Map<String, String> read() {
            Path script = Path.of(System.getProperty("parley.repo.root", ".."), "e2e", "cluster", "paths.sh");
            try {
                Process process = new ProcessBuilder("bash", script.toString(), "KUBE_BIN", "HELM_BIN")
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException(script + " failed; its error is above");
                }
                Map<String, String> paths = new HashMap<>();
                for (String line : out.split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        paths.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
                return paths;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + script, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + script, e);
            }
        }
    }
}
