package dev.parley.operator.it;

import dev.parley.operator.ChatOperator;
import dev.parley.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the shared {@link TestKube} with the ChatService CRD from crds/ applied,
 * and an operator running in-process against it (started before the class, stopped after).
 * Parameters of type {@link TestKube} and {@link OperatorHandle} are injected.
 */
public final class KubeExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    public static final String SERVER_IMAGE = "localhost/parley/chat-server:it";
    public static final String REDIS_IMAGE = "localhost/parley/redis:it";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KubeExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestKube kube = TestKube.get(context);
        applyCrd(kube.client());
        var handle = new OperatorHandle(kube);
        handle.start();
        context.getStore(NS).put(OperatorHandle.class, handle);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        OperatorHandle handle = context.getStore(NS).remove(OperatorHandle.class, OperatorHandle.class);
        if (handle != null) {
            handle.stop();
        }
    }

    /** Applies crds/ (server-side, so an older version is updated) and waits until it is Established. */
    public static void applyCrd(KubernetesClient client) throws IOException {
        Path file = Path.of(System.getProperty("parley.repo.root", ".."), "crds", "chatservices.chat.parley.dev-v1.yml");
        try (InputStream in = Files.newInputStream(file)) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.resource(crd).forceConflicts().serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    // A CRD just created has a status without conditions for a moment.
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream()
                            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 30, TimeUnit.SECONDS);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == TestKube.class || type == OperatorHandle.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        if (p.getParameter().getType() == TestKube.class) {
            return TestKube.get(e);
        }
        // A store sees what its parents' stores hold: the class-level handle reaches every method.
        return e.getStore(NS).get(OperatorHandle.class, OperatorHandle.class);
    }

    /** The operator under test: in-process, its own client, restartable. */
    public static final class OperatorHandle {
        private final TestKube kube;
        private KubernetesClient client;
        private ChatOperator operator;

        OperatorHandle(TestKube kube) {
            this.kube = kube;
        }

        public synchronized void start() {
            client = kube.newClient();
            operator = new ChatOperator(new OperatorConfig(SERVER_IMAGE, REDIS_IMAGE, Set.of(), 0, false, null, "it-operator"), client);
            try {
                operator.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public synchronized void stop() {
            if (operator != null) {
                operator.close();
                client.close();
                operator = null;
            }
        }

        public synchronized int httpPort() {
            return operator.httpPort();
        }
    }
}
