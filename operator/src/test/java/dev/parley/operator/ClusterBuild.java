package dev.parley.operator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the cluster build (`make kube-bins`, part of `make cluster-tools`) put the binaries the
 * tests run: versions from e2e/cluster/versions.env, the one place they are pinned, under
 * PARLEY_CLUSTER_CACHE (default /var/cache/parley/cluster). -Dparley.kube.bin and -Dparley.helm
 * point elsewhere.
 */
public final class ClusterBuild {
    private ClusterBuild() {
    }

    /** The folder with kube-apiserver, etcd, kubectl and kube-controller-manager. */
    public static Path kubeBin() {
        String override = System.getProperty("parley.kube.bin");
        return override != null ? Path.of(override) : cache().resolve("kubernetes-" + versions().get("KUBE_VERSION")).resolve("bin");
    }

    /** The helm binary. */
    public static Path helm() {
        String override = System.getProperty("parley.helm");
        return override != null ? Path.of(override) : cache().resolve("helm-" + versions().get("HELM_VERSION")).resolve("bin/helm");
    }

    private static Path cache() {
        String dir = System.getenv("PARLEY_CLUSTER_CACHE");
        return Path.of(dir != null && !dir.isBlank() ? dir : "/var/cache/parley/cluster");
    }

    private static Map<String, String> versions() {
        Path file = Path.of(System.getProperty("parley.repo.root", ".."), "e2e", "cluster", "versions.env");
        Map<String, String> versions = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    versions.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return versions;
    }
}
