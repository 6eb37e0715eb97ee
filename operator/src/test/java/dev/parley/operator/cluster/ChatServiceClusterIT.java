package dev.parley.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.operator.OperatorProcess;
import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.it.ApiServerExtension;
import dev.parley.operator.it.ChatServices;
import dev.parley.operator.reconciler.Conditions;
import dev.parley.testkit.FreePort;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The operator against a real cluster (KUBECONFIG: minikube, or any other), with the images
 * {@code make images} loaded: examples/chatservice.yaml becomes a chat service people chat on
 * through the NodePort; it scales, autoscales, rides out the operator's absence and a bad image,
 * and goes away leaving only its volume. The operator runs in the cluster, installed by the Helm
 * chart with its least-privilege RBAC (-Dparley.operator=jar: the jar on this machine instead).
 * Run by {@code make operator-cluster-test}; the steps run in order, each on what the previous left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChatServiceClusterIT {
    private static final String NS = System.getProperty("parley.cluster.namespace", "parley-operator-test");
    private static final String NAME = "demo";
    private static final String INSTANCE = "app.kubernetes.io/instance";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    private static KubernetesClient client;
    private static ClusterOperator operator;
    private static ChatClient chat;

    @BeforeAll
    static void deployOperator() throws Exception {
        Path root = Path.of(System.getProperty("parley.repo.root", ".."));
        client = new KubernetesClientBuilder().build();
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("PARLEY_SERVER_IMAGE", "PARLEY_REDIS_IMAGE", "PARLEY_OPERATOR_IMAGE", "KUBECONFIG")) {
            String value = System.getenv(name);
            assertThat(value).as("%s must be set (make operator-cluster-test sets it from make images)", name).isNotBlank();
            env.put(name, value);
        }
        // Another Parley operator that watches every namespace would act on ours too.
        var others = client.apps().deployments().inAnyNamespace().withLabel("app.kubernetes.io/name", "chat-operator").list().getItems();
        assertThat(others).as("other Parley operators in the cluster (make down removes the one make up installed)")
                .allMatch(d -> d.getMetadata().getNamespace().equals(NS));
        // A namespace of our own, fresh: what an earlier, interrupted run left goes first.
        if (client.namespaces().withName(NS).get() != null) {
            client.namespaces().withName(NS).delete();
            await("namespace " + NS + " to go").atMost(Duration.ofMinutes(3)).until(() -> client.namespaces().withName(NS).get() == null);
        }
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        ApiServerExtension.applyCrd(client);
        if ("jar".equals(System.getProperty("parley.operator", "helm"))) {
            operator = new JarOperator(OperatorProcess.jar(), NS, FreePort.pick(), env,
                    root.resolve("operator/target/cluster-test/operator.log"));
        } else {
            operator = new HelmOperator(client, NS, root.resolve("helm/chat-operator"), env.get("PARLEY_OPERATOR_IMAGE"),
                    env.get("PARLEY_SERVER_IMAGE"), env.get("PARLEY_REDIS_IMAGE"));
        }
        operator.start();
        String host = System.getProperty("parley.nodeport.host", "127.0.0.1");
        chat = new ChatClient(root.resolve("chat-client/target/chat-client.jar"), host, 30060);
    }

    @AfterAll
    static void tearDown() throws java.io.IOException {
        if (operator != null) {
            Path log = Path.of("target", "cluster-test", "operator.log");
            if (operator instanceof HelmOperator) {
                Files.createDirectories(log.getParent());
                Files.writeString(log, operator.logs());
            }
            operator.close();
        }
        if (client != null) {
            client.namespaces().withName(NS).delete();
            client.close();
        }
    }

    @Test
    @Order(1)
    void theExampleBecomesAReadyChatServicePeopleChatOn() throws Exception {
        Path example = Path.of(System.getProperty("parley.repo.root", ".."), "examples", "chatservice.yaml");
        try (InputStream in = Files.newInputStream(example)) {
            ChatService cr = client.resources(ChatService.class).load(in).item();
            cr.getMetadata().setNamespace(NS);
            client.resource(cr).create();
        }
        awaitReady(2);
        ChatService cr = chatService().get();
        assertThat(cr.getStatus().getEndpoint()).isEqualTo("NodePort 30060");
        assertThat(cr.getStatus().getReadyReplicas()).isEqualTo(2);
        assertChatWorks("hello from the cluster test");
    }

    @Test
    @Order(2)
    void scalesToThreeAndBackThroughTheScaleSubresource() {
        chatService().scale(3);
        awaitReady(3);
        chatService().scale(2);
        awaitReady(2);
        assertThat(client.apps().deployments().inNamespace(NS).withName("demo-server").get().getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void withAutoscalingTheAutoscalerOwnsTheReplicaCount() {
        var deployment = client.apps().deployments().inNamespace(NS).withName("demo-server");
        ChatServices.edit(chatService(), c -> {
            c.getSpec().getAutoscaling().setEnabled(true);
            // Above the current 2, so the autoscaler must act at once, metrics or not.
            c.getSpec().getAutoscaling().setMinReplicas(3);
            c.getSpec().getAutoscaling().setMaxReplicas(4);
            return c;
        });
        await("the autoscaler to raise the count to its minimum").atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    var d = deployment.get();
                    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
                    assertThat(ChatServices.replicaOwners(d)).doesNotContain("parley-operator");
                    var hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName("demo-server").get();
                    assertThat(hpa.getStatus().getDesiredReplicas()).isEqualTo(3);
                });
        awaitReady(3);
        assertThat(reason(Conditions.AUTOSCALING)).isIn("Active", "FailedGetResourceMetric");

        ChatServices.edit(chatService(), c -> {
            c.getSpec().getAutoscaling().setEnabled(false);
            return c;
        });
        await("the autoscaler to go and spec.replicas to count again").atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName("demo-server").get()).isNull();
                    assertThat(deployment.get().getSpec().getReplicas()).isEqualTo(2);
                });
        awaitReady(2);
    }

    @Test
    @Order(4)
    void theChatServiceKeepsServingWhileTheOperatorIsDown() throws Exception {
        long generation = client.apps().deployments().inNamespace(NS).withName("demo-server").get().getMetadata().getGeneration();
        operator.stop();
        assertChatWorks("while the operator is away");
        operator.start();
        awaitReady(2);
        // Restarted, it found everything as it should be and changed nothing.
        assertThat(client.apps().deployments().inNamespace(NS).withName("demo-server").get().getMetadata().getGeneration())
                .isEqualTo(generation);
        assertThat(client.apps().deployments().inNamespace(NS).withLabel(INSTANCE, NAME).list().getItems())
                .hasSize(1);
    }

    @Test
    @Order(5)
    void anImageThatCannotBePulledIsReportedWhileTheOldPodsServe() throws Exception {
        String good = client.apps().deployments().inNamespace(NS).withName("demo-server").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        ChatServices.edit(chatService(), c -> {
            c.getSpec().setImage("localhost/parley/chat-server:no-such-tag");
            return c;
        });
        await("ImagePullBackOff in status").atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(reason(Conditions.SERVER_READY)).isEqualTo("ImagePullBackOff"));
        assertThat(condition(Conditions.SERVER_READY).getMessage()).contains("localhost/parley/chat-server:no-such-tag");
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anyMatch(e -> "ImagePullBackOff".equals(e.getReason()) && NAME.equals(e.getInvolvedObject().getName()));
        // maxUnavailable 0: the running pods stay until new ones are ready, so chat goes on.
        assertChatWorks("during a bad rollout");

        ChatServices.edit(chatService(), c -> {
            c.getSpec().setImage(good);
            return c;
        });
        awaitReady(2);
    }

    @Test
    @Order(6)
    void deletingTheChatServiceRemovesEverythingButTheKeptVolume() {
        chatService().delete();
        await("the owned objects to go").atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            // Everything of the ChatService's; the operator itself may run in this namespace.
            assertThat(client.apps().deployments().inNamespace(NS).withLabel(INSTANCE, NAME).list().getItems()).isEmpty();
            assertThat(client.apps().statefulSets().inNamespace(NS).withLabel(INSTANCE, NAME).list().getItems()).isEmpty();
            assertThat(client.services().inNamespace(NS).withLabel(INSTANCE, NAME).list().getItems()).isEmpty();
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withLabel(INSTANCE, NAME).list().getItems()).isEmpty();
            assertThat(client.pods().inNamespace(NS).withLabel(INSTANCE, NAME).list().getItems()).isEmpty();
        });
        var claim = client.persistentVolumeClaims().inNamespace(NS).withName("data-demo-redis-0").get();
        assertThat(claim).isNotNull();
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
    }

    /** Ready=True with {@code replicas} chat servers ready. */
    private static void awaitReady(int replicas) {
        await("Ready with " + replicas + " chat servers").atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    ChatService cr = chatService().get();
                    // the status goes in the description after map(), which would drop one given before it
                    assertThat(ChatServices.condition(cr, Conditions.READY)).map(Condition::getStatus)
                            .as("Ready; status: %s", cr.getStatus()).contains("True");
                    assertThat(cr.getStatus().getReadyReplicas()).isEqualTo(replicas);
                    assertThat(cr.getStatus().getObservedGeneration()).isEqualTo(cr.getMetadata().getGeneration());
                });
    }

    /** Bob listens, Alice sends him a DM through the NodePort, Bob gets it. */
    private static void assertChatWorks(String text) throws Exception {
        // Both names exist before the DM (a first login registers a name): a broadcast each.
        chat.send("bob", null, "bob is here");
        chat.send("alice", null, "alice is here");
        Process bob = chat.listen("bob", "alice", 1);
        try {
            // Bob's listener prints only what arrives after its login (--history 0), and nothing
            // says when that login is done: Alice sends until the listener has one, at most 10 times.
            String id = null;
            for (int attempt = 0; attempt < 10 && bob.isAlive(); attempt++) {
                id = chat.send("alice", "bob", text).trim();
                if (bob.waitFor(3, TimeUnit.SECONDS)) {
                    break;
                }
            }
            String received = ChatClient.finish(bob, 30);
            assertThat(id).isNotBlank();
            assertThat(received).contains("\"from\":\"alice\"").contains("\"text\":\"" + text + "\"");
        } finally {
            bob.destroyForcibly();
        }
    }

    private static Resource<ChatService> chatService() {
        return client.resources(ChatService.class).inNamespace(NS).withName(NAME);
    }

    private static String reason(String type) {
        return ChatServices.reason(chatService().get(), type);
    }

    private static Condition condition(String type) {
        return ChatServices.condition(chatService().get(), type).orElse(null);
    }
}
