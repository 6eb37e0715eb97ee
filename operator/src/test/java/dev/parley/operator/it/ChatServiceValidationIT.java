package dev.parley.operator.it;

import static dev.parley.operator.it.ChatServices.minimal;
import static dev.parley.operator.it.ChatServices.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.operator.api.v1alpha1.ChatService;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The API server refuses what the schema and its CEL rules forbid, naming the field. Resources
 * are written as YAML, the way a user writes them, so even values Java could not hold get through.
 */
@ExtendWith(KubeExtension.class)
class ChatServiceValidationIT {
    private static String ns;

    @BeforeAll
    static void namespace(TestKube kube) {
        ns = kube.namespace("invalid");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nodePort below the range    | service: {type: NodePort, nodePort: 80}                 | spec.service.nodePort | greater than or equal to 30000
            nodePort with ClusterIP     | service: {type: ClusterIP, nodePort: 30500}             | spec.service.nodePort | nodePort can only be set when type is NodePort or LoadBalancer
            unknown Service type        | service: {type: Ingress}                                | spec.service.type     | Unsupported value: "Ingress"
            port out of range           | port: 70000                                             | spec.port             | less than or equal to 65535
            port of the HTTP endpoints  | port: 8080                                              | spec.port             | the chat server's HTTP port
            negative replicas           | replicas: -1                                            | spec.replicas         | greater than or equal to 0
            min above max               | autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 3} | spec.autoscaling.minReplicas | minReplicas must not be greater than maxReplicas
            scale-down wait too long    | 'autoscaling: {scaleDownStabilizationSeconds: 7200}'     | spec.autoscaling.scaleDownStabilizationSeconds | less than or equal to 3600
            autoscaling without cpu     | 'autoscaling: {enabled: true}\n  resources: {requests: {memory: 256Mi}}' | spec.autoscaling.enabled | needs resources.requests.cpu
            storage size not a quantity | 'redis: {storage: {size: lots}}'                       | spec.redis.storage.size | must be a quantity
            cpu not a quantity          | 'resources: {requests: {cpu: fast}}'                    | spec.resources.requests | every value must be a quantity
            unknown appendFsync         | 'redis: {appendFsync: "no"}'                            | spec.redis.appendFsync | Unsupported value: "no"
            unknown pull policy         | imagePullPolicy: Sometimes                              | spec.imagePullPolicy  | Unsupported value: "Sometimes"
            secret ref without key      | 'chat: {adminTokenSecretRef: {name: admin}}'            | spec.chat.adminTokenSecretRef.key | Required value
            rate limit out of range     | 'chat: {rateLimit: -5}'                                 | spec.chat.rateLimit   | greater than or equal to 0
            login backoff above 1m      | 'chat: {loginBackoff: 90s}'                             | spec.chat.loginBackoff | must be at most 1m
            ISO login backoff above 1m  | 'chat: {loginBackoff: PT1M0.5S}'                        | spec.chat.loginBackoff | must be at most 1m
            login backoff without unit  | 'chat: {loginBackoff: "10"}'                            | spec.chat.loginBackoff | should match
            login backoff in days       | 'chat: {loginBackoff: P1D}'                             | spec.chat.loginBackoff | should match
            auth queue of none          | 'chat: {authQueue: 0}'                                  | spec.chat.authQueue   | greater than or equal to 1
            sessions per user too many  | 'chat: {maxSessionsPerUser: 100001}'                    | spec.chat.maxSessionsPerUser | less than or equal to 100000
            password iterations too few | 'chat: {passwordIterations: 999}'                       | spec.chat.passwordIterations | greater than or equal to 1000
            history kept too short      | 'chat: {historyRetention: 99}'                          | spec.chat.historyRetention | greater than or equal to 100
            store linger above 10ms     | 'chat: {storeLinger: 20ms}'                             | spec.chat.storeLinger | must be at most 10ms
            ISO store linger above 10ms | 'chat: {storeLinger: PT0.011S}'                         | spec.chat.storeLinger | must be at most 10ms
            store linger without unit   | 'chat: {storeLinger: "500"}'                            | spec.chat.storeLinger | should match
            """)
    void refusedWithTheFieldNamed(String what, String specLines, String field, String message, TestKube kube) {
        String yaml = "apiVersion: chat.parley.dev/v1alpha1\nkind: ChatService\nmetadata: {name: bad, namespace: " + ns
                + "}\nspec:\n  " + specLines.replace("\\n", "\n") + "\n";
        assertThatThrownBy(() -> createYaml(kube.client(), yaml))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains(field).contains(message);
                });
    }

    /** Every form the chat server reads, up to each setting's limit; the dry run stores nothing. */
    @ParameterizedTest
    @CsvSource({"loginBackoff, 0", "loginBackoff, 250us", "loginBackoff, 500ms", "loginBackoff, 60s",
        "loginBackoff, 1m", "loginBackoff, PT10S", "loginBackoff, PT0.5S", "loginBackoff, PT1M",
        "storeLinger, 0", "storeLinger, 250us", "storeLinger, 10ms", "storeLinger, PT0.005S"})
    void durationSettingsTakeTheServersForms(String field, String value, TestKube kube) {
        String yaml = "apiVersion: chat.parley.dev/v1alpha1\nkind: ChatService\nmetadata: {name: durations, namespace: "
                + ns + "}\nspec:\n  chat: {" + field + ": '" + value + "'}\n";
        var resource = kube.client().getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        assertThat(kube.client().resource(resource).dryRun().create().getAdditionalProperties().get("spec"))
                .asString().contains(field + "=" + value);
    }

    @Test
    void namesThatCannotNameItsObjectsAreRefused(TestKube kube) {
        String yaml = "apiVersion: chat.parley.dev/v1alpha1\nkind: ChatService\nmetadata: {name: chat.v2, namespace: " + ns
                + "}\nspec: {}\n";
        assertThatThrownBy(() -> createYaml(kube.client(), yaml))
                .isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(e.getStatus().getMessage()).contains("metadata.name must be a DNS label"));
    }

    @Test
    void aChatServiceWithoutSpecIsRefused(TestKube kube) {
        String yaml = "apiVersion: chat.parley.dev/v1alpha1\nkind: ChatService\nmetadata: {name: nospec, namespace: " + ns + "}\n";
        assertThatThrownBy(() -> createYaml(kube.client(), yaml))
                .isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(e.getStatus().getMessage()).contains("spec is required"));
    }

    @Test
    void storageSizeAndClassAreFixedOnceCreatedButKeepOnDeleteIsNot(TestKube kube) {
        KubernetesClient client = kube.client();
        ChatService cr = minimal(ns, "storage");
        cr.getSpec().setService(new dev.parley.operator.api.v1alpha1.ExposeSpec());
        cr.getSpec().getService().setType(dev.parley.operator.api.v1alpha1.ExposeSpec.Type.ClusterIP);
        client.resource(cr).create();
        var resource = resource(client, ns, "storage");

        assertThatThrownBy(() -> ChatServices.edit(resource, c -> {
            c.getSpec().getRedis().getStorage().setSize(new io.fabric8.kubernetes.api.model.Quantity("5Gi"));
            return c;
        })).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getStatus().getMessage()).contains("spec.redis.storage.size").contains("cannot change"));
        assertThatThrownBy(() -> ChatServices.edit(resource, c -> {
            c.getSpec().getRedis().getStorage().setStorageClassName("fast");
            return c;
        })).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getStatus().getMessage()).contains("spec.redis.storage.storageClassName").contains("cannot change"));
        ChatServices.edit(resource, c -> {
            c.getSpec().getRedis().getStorage().setKeepOnDelete(false);
            return c;
        });
        assertThat(resource.get().getSpec().getRedis().getStorage().getKeepOnDelete()).isFalse();
    }

    @Test
    void anEmptySpecGetsEveryDefault(TestKube kube) {
        var created = createYaml(kube.client(), "apiVersion: chat.parley.dev/v1alpha1\nkind: ChatService\n"
                + "metadata: {name: defaults, namespace: " + ns + "}\nspec: {service: {type: ClusterIP}}\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
        assertThat(spec).containsEntry("replicas", 2).containsEntry("port", 6000).containsEntry("imagePullPolicy", "IfNotPresent");
        assertThat(spec.get("autoscaling")).isEqualTo(Map.of("enabled", false, "minReplicas", 2, "maxReplicas", 10,
                "targetCPUUtilizationPercentage", 70, "scaleDownStabilizationSeconds", 300));
        assertThat(spec.get("redis")).asString().contains("appendFsync=everysec").contains("size=1Gi").contains("keepOnDelete=true");
        assertThat(spec.get("chat")).isEqualTo(Map.of("rateLimit", 50, "historyRetention", 10000, "loginBackoff", "1s",
                "authQueue", 64, "maxSessionsPerUser", 20, "passwordIterations", 600000, "storeLinger", "500us"));
        kube.client().resource(created).delete();
    }

    private static GenericKubernetesResource createYaml(KubernetesClient client, String yaml) {
        GenericKubernetesResource resource = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        return client.resource(resource).create();
    }
}
