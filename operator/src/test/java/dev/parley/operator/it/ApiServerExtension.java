package dev.parley.operator.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the shared {@link TestKube} with the ChatService CRD from crds/ applied, and
 * no operator: for tests that run one of their own ({@link KubeExtension} adds the in-process one).
 * Parameters of type {@link TestKube} are injected.
 */
public class ApiServerExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        applyCrd(TestKube.get(context).client());
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
        return p.getParameter().getType() == TestKube.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return TestKube.get(e);
    }
}
