package dev.parley.operator.chart;

import dev.parley.operator.ClusterBuild;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The helm binary the cluster build compiled, run on helm/chat-operator. */
final class Helm {
    static final Path CHART = Path.of(System.getProperty("parley.repo.root", ".."), "helm", "chat-operator");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Helm() {
    }

    static Path binary() {
        Path helm = ClusterBuild.helm();
        if (!Files.isExecutable(helm)) {
            throw new IllegalStateException(helm + " is missing: the chart tests run the helm that `make kube-bins` "
                    + "builds (or pass -Dparley.helm=PATH)");
        }
        return helm;
    }

    /** What a helm command printed, and how it exited. */
    record Result(int exitCode, String out) {
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // No command may reach the machine's cluster: those that need one name it with --kubeconfig.
        builder.environment().put("KUBECONFIG", "/nonexistent/kubeconfig");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("helm did not finish: " + command);
        }
        return new Result(p.exitValue(), out);
    }

    /** {@code helm template} of the chart with the given --set values, as objects; fails when helm does. */
    static List<HasMetadata> template(String... sets) throws IOException, InterruptedException {
        Result r = run(withSets(List.of("template", "chat", CHART.toString(), "--namespace", "chat-app"), sets));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("helm template failed:\n" + r.out());
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : r.out().split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                Object parsed = SERIALIZATION.unmarshal(doc);
                if (parsed instanceof KubernetesList list) {
                    objects.addAll(list.getItems());
                } else {
                    objects.add((HasMetadata) parsed);
                }
            }
        }
        return objects;
    }

    /**
     * The NOTES.txt a user reads after {@code helm install} with the given --set values. helm
     * template leaves it out; {@code install --dry-run=client} renders it, but Helm 3 still asks
     * the API server of {@code kubeconfig} for its version and for the kinds of the manifests
     * (helm/helm#13144), so the ChatService CRD must be there.
     */
    static String notes(Path kubeconfig, String... sets) throws IOException, InterruptedException {
        Result r = run(withSets(List.of("install", "chat", CHART.toString(), "--namespace", "chat-app",
                "--dry-run=client", "--kubeconfig", kubeconfig.toString()), sets));
        int start = r.out().indexOf("\nNOTES:\n");
        if (r.exitCode() != 0 || start < 0) {
            throw new IllegalStateException("helm install --dry-run=client printed no notes:\n" + r.out());
        }
        return r.out().substring(start + "\nNOTES:\n".length());
    }

    private static String[] withSets(List<String> command, String... sets) {
        List<String> args = new ArrayList<>(command);
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        return args.toArray(String[]::new);
    }
}
