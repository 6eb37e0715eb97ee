package dev.parley.operator.it;

import dev.parley.operator.ChatOperator;
import dev.parley.operator.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;

/**
 * What {@link ApiServerExtension} gives, and an operator running in-process against it, watching
 * every namespace (started before the class, stopped after).
 * Parameters of type {@link TestKube} and {@link OperatorHandle} are injected.
 */
public final class KubeExtension extends ApiServerExtension implements AfterAllCallback {
    public static final String SERVER_IMAGE = "localhost/parley/chat-server:it";
    public static final String REDIS_IMAGE = "localhost/parley/redis:it";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KubeExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        super.beforeAll(context);
        var handle = new OperatorHandle(TestKube.get(context));
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

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return super.supportsParameter(p, e) || p.getParameter().getType() == OperatorHandle.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        if (super.supportsParameter(p, e)) {
            return super.resolveParameter(p, e);
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
