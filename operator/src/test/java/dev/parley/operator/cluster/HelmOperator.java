package dev.parley.operator.cluster;

import dev.parley.operator.ClusterBuild;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * helm/chat-operator installed into the test namespace, watching only that namespace (so a
 * namespaced Role, nothing cluster-wide): the operator image, its ServiceAccount and RBAC as a
 * user gets them. Stopped by scaling its Deployment to 0.
 */
final class HelmOperator implements ClusterOperator {
    private static final String RELEASE = "operator-test";
    private final KubernetesClient client;
    private final String namespace;
    private final Path chart;
    private final List<String> sets;

    HelmOperator(KubernetesClient client, String namespace, Path chart, String operatorImage, String serverImage, String redisImage) {
        this.client = client;
        this.namespace = namespace;
        this.chart = chart;
        this.sets = List.of(
                "image.repository=" + repository(operatorImage), "image.tag=" + tag(operatorImage),
                "defaultImages.server.repository=" + repository(serverImage), "defaultImages.server.tag=" + tag(serverImage),
                "defaultImages.redis=" + redisImage,
                "watchNamespaces={" + namespace + "}",
                "logLevel=debug");
    }

    @Override
    public void start() throws Exception {
        if (client.apps().deployments().inNamespace(namespace).withName(deployment()).get() == null) {
            List<String> args = new ArrayList<>(List.of("upgrade", "--install", RELEASE, chart.toString(), "--namespace", namespace,
                    "--wait", "--timeout", "3m"));
            for (String set : sets) {
                args.add("--set");
                args.add(set);
            }
            helm(args);
        } else {
            client.apps().deployments().inNamespace(namespace).withName(deployment()).scale(1);
        }
        client.apps().deployments().inNamespace(namespace).withName(deployment())
                .waitUntilCondition(d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
                        3, TimeUnit.MINUTES);
    }

    @Override
    public void stop() {
        client.apps().deployments().inNamespace(namespace).withName(deployment()).scale(0);
        client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", "chat-operator")
                .waitUntilCondition(p -> p == null, 2, TimeUnit.MINUTES);
    }

    @Override
    public String logs() {
        try {
            return client.apps().deployments().inNamespace(namespace).withName(deployment()).getLog();
        } catch (RuntimeException e) {
            return "(no operator log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            helm(List.of("uninstall", RELEASE, "--namespace", namespace, "--wait", "--timeout", "2m"));
        } catch (Exception e) {
            // The namespace goes next, and the release with it.
        }
    }

    private String deployment() {
        return RELEASE + "-chat-operator";
    }

    private static void helm(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ClusterBuild.helm().toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("helm " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    private static String repository(String image) {
        return image.substring(0, image.lastIndexOf(':'));
    }

    private static String tag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }
}
