package dev.parley.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.operator.it.KubeExtension;
import dev.parley.operator.it.TestKube;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * helm/chat-operator, rendered with helm template and checked object by object; its NOTES.txt
 * rendered by a dry-run install against the tests' API server.
 */
class HelmChartIT {

    @Test
    void lintsCleanInStrictMode() throws Exception {
        Helm.Result r = Helm.run("lint", "--strict", Helm.CHART.toString());
        assertThat(r.exitCode()).as(r.out()).isZero();
    }

    @Test
    void defaultsInstallTheOperatorWatchingEveryNamespace() throws Exception {
        List<HasMetadata> objects = Helm.template();
        assertThat(kinds(objects)).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRole",
                "ClusterRoleBinding", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service");

        Deployment d = one(objects, Deployment.class);
        var pod = d.getSpec().getTemplate().getSpec();
        var c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("localhost/parley/operator:0.1.0-SNAPSHOT");
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(env(c.getEnv())).containsEntry("PARLEY_SERVER_IMAGE", "localhost/parley/chat-server:0.1.0-SNAPSHOT")
                .containsEntry("PARLEY_REDIS_IMAGE", "docker.io/library/redis:7.0")
                .containsEntry("PARLEY_NAMESPACES", "")
                .containsEntry("PARLEY_LEADER_ELECTION", "true")
                .containsEntry("LOG_LEVEL", "INFO");
        // The restricted Pod Security profile.
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(pod.getServiceAccountName()).isEqualTo("chat-chat-operator");
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    }

    @Test
    void theClusterRoleGrantsOnlyWhatTheOperatorUses() throws Exception {
        ClusterRole role = Helm.template().stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .filter(r -> r.getMetadata().getName().equals("chat-chat-operator")).findFirst().orElseThrow();
        Map<String, List<String>> verbs = role.getRules().stream().flatMap(r -> r.getResources().stream()
                .map(res -> Map.entry(r.getApiGroups().get(0) + "/" + res, r.getVerbs())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(verbs).containsOnlyKeys("chat.parley.dev/chatservices", "chat.parley.dev/chatservices/status",
                "apps/deployments", "apps/statefulsets", "/services", "policy/poddisruptionbudgets",
                "autoscaling/horizontalpodautoscalers", "/pods", "/persistentvolumeclaims", "/secrets", "/events");
        assertThat(verbs.get("/secrets")).containsExactly("list", "watch");
        assertThat(verbs.get("/events")).containsExactly("create");
        assertThat(verbs.values().stream().flatMap(List::stream)).doesNotContain("*", "escalate", "bind", "impersonate");
        // Only autoscalers are ever deleted by the operator; the rest goes by garbage collection.
        assertThat(verbs.entrySet().stream().filter(e -> e.getValue().contains("delete")).map(Map.Entry::getKey))
                .containsExactly("autoscaling/horizontalpodautoscalers");
    }

    @Test
    void watchedNamespacesGetRolesAndNothingClusterWide() throws Exception {
        List<HasMetadata> objects = Helm.template("watchNamespaces={team-a,team-b}", "leaderElection.enabled=false");
        assertThat(kinds(objects)).doesNotContain("ClusterRole", "ClusterRoleBinding");
        assertThat(objects.stream().filter(Role.class::isInstance).map(o -> o.getMetadata().getNamespace()))
                .containsExactlyInAnyOrder("team-a", "team-b");
        Role role = (Role) objects.stream().filter(Role.class::isInstance).findFirst().orElseThrow();
        assertThat(role.getRules()).extracting(PolicyRule::getResources).contains(List.of("chatservices"));
        Deployment d = one(objects, Deployment.class);
        assertThat(env(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()))
                .containsEntry("PARLEY_NAMESPACES", "team-a,team-b").containsEntry("PARLEY_LEADER_ELECTION", "false");
        // Without leader election, an old and a new operator must not overlap.
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @Test
    void valuesSetImagesResourcesAndLogLevel() throws Exception {
        Deployment d = one(Helm.template("image.repository=registry.example/parley/operator", "image.tag=1.2.3",
                "defaultImages.server.tag=1.2.3", "defaultImages.redis=registry.example/redis:7.2",
                "resources.limits.memory=1Gi", "logLevel=debug", "replicaCount=2"), Deployment.class);
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(c.getImage()).isEqualTo("registry.example/parley/operator:1.2.3");
        assertThat(env(c.getEnv())).containsEntry("PARLEY_SERVER_IMAGE", "localhost/parley/chat-server:1.2.3")
                .containsEntry("PARLEY_REDIS_IMAGE", "registry.example/redis:7.2").containsEntry("LOG_LEVEL", "DEBUG");
        assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    }

    @Test
    void chatServiceAndServiceMonitorAreOptional() throws Exception {
        List<HasMetadata> objects = Helm.template("chatService.enabled=true", "chatService.spec.replicas=3",
                "metrics.serviceMonitor.enabled=true");
        GenericKubernetesResource chat = (GenericKubernetesResource) objects.stream()
                .filter(o -> o.getKind().equals("ChatService")).findFirst().orElseThrow();
        assertThat(chat.getApiVersion()).isEqualTo("chat.parley.dev/v1alpha1");
        assertThat(chat.getMetadata().getName()).isEqualTo("chat");
        assertThat(chat.getMetadata().getNamespace()).isEqualTo("chat-app");
        assertThat(chat.getAdditionalProperties().get("spec")).isEqualTo(Map.of("replicas", 3));
        assertThat(kinds(objects)).contains("ServiceMonitor");
        assertThat(kinds(Helm.template())).doesNotContain("ChatService", "ServiceMonitor");
        // Without spec values the ChatService still has a spec, for the CRD's defaults to fill.
        GenericKubernetesResource defaults = (GenericKubernetesResource) Helm.template("chatService.enabled=true").stream()
                .filter(o -> o.getKind().equals("ChatService")).findFirst().orElseThrow();
        assertThat(defaults.getAdditionalProperties().get("spec")).isEqualTo(Map.of());
    }

    @Test
    @ExtendWith(TestKube.Resolver.class)
    void theNotesNameTheNodePortAndTheClientCommand(TestKube kube) throws Exception {
        // A dry run installs no CRD from crds/, yet needs the kind known.
        KubeExtension.applyCrd(kube.client());
        Path kubeconfig = kube.kubeconfig();
        // The one-command install: the CRD's default service, NodePort 30060.
        List<String> defaults = Helm.notes(kubeconfig, "chatService.enabled=true").lines().map(String::strip).toList();
        assertThat(defaults).contains("kubectl -n chat-app wait chat/chat --for=condition=Ready --timeout=5m",
                "parley-chat <node-address> 30060 <your-name>");
        assertThat(String.join(" ", defaults)).contains("through the node port 30060 on any node's address");

        List<String> custom = Helm.notes(kubeconfig, "chatService.enabled=true", "chatService.name=team",
                "chatService.spec.service.nodePort=30065").lines().map(String::strip).toList();
        assertThat(custom).contains("parley-chat <node-address> 30065 <your-name>")
                .noneMatch(l -> l.contains("30060"));

        // A port Kubernetes picks is only known once the Service exists: the command looks it up.
        assertThat(Helm.notes(kubeconfig, "chatService.enabled=true", "chatService.spec.service.type=NodePort").lines().map(String::strip))
                .contains("parley-chat <node-address> $(kubectl -n chat-app get svc chat-server "
                        + "-o jsonpath='{.spec.ports[0].nodePort}') <your-name>");
        assertThat(Helm.notes(kubeconfig, "chatService.enabled=true", "chatService.spec.service.type=ClusterIP",
                "chatService.spec.port=7000").lines().map(String::strip))
                .contains("parley-chat chat-server.chat-app.svc 7000 <your-name>").noneMatch(l -> l.contains("node port"));
        assertThat(Helm.notes(kubeconfig)).contains("kubectl apply -n <namespace> -f examples/chatservice.yaml")
                .doesNotContain("parley-chat");
    }

    @Test
    void theSchemaRefusesUnknownKeysAndWrongTypes() {
        assertThatThrownBy(() -> Helm.template("replicas=2")).hasMessageContaining("additional properties 'replicas' not allowed");
        assertThatThrownBy(() -> Helm.template("replicaCount=two")).hasMessageContaining("/replicaCount");
        assertThatThrownBy(() -> Helm.template("logLevel=loud")).hasMessageContaining("/logLevel");
        assertThatThrownBy(() -> Helm.template("image.tag=latest")).hasMessageContaining("/image/tag");
        assertThatThrownBy(() -> Helm.template("watchNamespaces={Team_A}")).hasMessageContaining("/watchNamespaces/0");
        assertThatThrownBy(() -> Helm.template("chatService.nmae=x")).hasMessageContaining("'nmae' not allowed");
    }

    @Test
    void everyValueIsDocumentedInPlace() throws Exception {
        // Each key has a comment line right above it, but the entries of requests and limits.
        List<String> lines = java.nio.file.Files.readAllLines(Helm.CHART.resolve("values.yaml"));
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.matches("^\\s*[a-zA-Z]+:.*") && !line.matches("^\\s+(requests|limits|cpu|memory):.*")) {
                assertThat(lines.get(i - 1).trim()).as("the line above '%s' in values.yaml", line.trim()).startsWith("#");
            }
        }
    }

    private static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).toList();
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static Map<String, String> env(List<EnvVar> env) {
        return env.stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
