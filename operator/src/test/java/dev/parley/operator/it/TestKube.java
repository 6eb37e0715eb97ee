package dev.parley.operator.it;

import dev.parley.operator.ClusterBuild;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kubernetes control plane without nodes, for the operator's integration tests: etcd and
 * kube-apiserver started by fabric8's kube-api-test from the binaries the cluster build compiled
 * (make cluster-tools), plus kube-controller-manager, so that owner references are garbage
 * collected, StatefulSets make their claims and Deployments their pods (which stay Pending: there
 * is no node). One per test JVM, shared by the test classes; each test works in its own namespace.
 */
public final class TestKube implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    /** Only the name of the folder kube-api-test looks in; the binaries are whatever the build made. */
    static final String VERSION = "1.34.0";
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final KubeAPIServer apiServer;
    private final Process controllerManager;
    private final Path kubeconfig;
    private final KubernetesClient client;

    private TestKube(KubeAPIServer apiServer, Process controllerManager, Path kubeconfig, KubernetesClient client) {
        this.apiServer = apiServer;
        this.controllerManager = controllerManager;
        this.kubeconfig = kubeconfig;
        this.client = client;
    }

    /** The shared instance, started on first use and stopped when the test run ends. */
    public static TestKube get(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(TestKube.class, k -> start(), TestKube.class);
    }

    private static TestKube start() {
        Path bin = ClusterBuild.kubeBin();
        for (String b : List.of("kube-apiserver", "etcd", "kubectl", "kube-controller-manager")) {
            if (!Files.isExecutable(bin.resolve(b))) {
                throw new IllegalStateException(bin.resolve(b) + " is missing: the operator's integration tests run a real "
                        + "API server that `make kube-bins` builds (or pass -Dparley.kube.bin=DIR)");
            }
        }
        try {
            // kube-api-test looks for <dir>/k8s/<version>-linux-amd64/{etcd,kube-apiserver,kubectl}.
            Path dir = Path.of("target", "kube-api-test").toAbsolutePath();
            Path versionDir = dir.resolve("k8s").resolve(VERSION + "-linux-amd64");
            Files.createDirectories(versionDir);
            for (String b : List.of("kube-apiserver", "etcd", "kubectl")) {
                Path link = versionDir.resolve(b);
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, bin.resolve(b));
            }
            var apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(dir.toString())
                    .withApiServerVersion(VERSION)
                    .withOfflineMode(true)
                    .withUpdateKubeConfig(false)
                    .withApiServerFlag("--bind-address", "127.0.0.1")
                    .build());
            apiServer.start();
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, apiServer.getKubeConfigYaml());
            Path log = dir.resolve("kube-controller-manager.log");
            Process cm = new ProcessBuilder(bin.resolve("kube-controller-manager").toString(),
                    "--kubeconfig", kubeconfig.toString(),
                    "--leader-elect=false",
                    "--secure-port=0",
                    // No service account keys here; nothing in these tests needs tokens.
                    "--controllers=*,-serviceaccount-token",
                    "--concurrent-gc-syncs=5")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(apiServer.getKubeConfigYaml())).build();
            return new TestKube(apiServer, cm, kubeconfig, client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubernetesClient client() {
        return client;
    }

    /** A kubeconfig file for this API server, for processes the tests start (the jar, kubectl, helm). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A new client of this API server (the operator under test gets its own). */
    public KubernetesClient newClient() {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a fresh namespace for one test. */
    public String namespace(String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    @Override
    public void close() {
        client.close();
        controllerManager.destroy();
        try {
            if (!controllerManager.waitFor(10, TimeUnit.SECONDS)) {
                controllerManager.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        apiServer.stop();
    }

    static Duration timeout() {
        return Duration.ofSeconds(60);
    }

    /** Injects the shared instance into a test that needs the API server alone, no operator. */
    public static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == TestKube.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return get(e);
        }
    }
}
