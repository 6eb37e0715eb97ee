package dev.parley.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.operator.api.v1alpha1.ChatService;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test resources: a defaulted ChatService and the objects expected from it, compared as JSON trees. */
public final class Fixtures {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Fixtures() {
    }

    /** chatservice-defaulted.yaml: a ChatService as the API server returns it, defaults filled in. */
    public static ChatService chatService() {
        return load(Fixtures.class, "/chatservice-defaulted.yaml", ChatService.class);
    }

    public static <T> T load(Class<?> near, String resource, Class<T> type) {
        try (InputStream in = near.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource + " next to " + near.getName());
            }
            return SERIALIZATION.unmarshal(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the two objects serialize to the same JSON (map order aside); shows the actual YAML on failure. */
    public static void assertSameObject(Object actual, Object expected) {
        JsonNode a = SERIALIZATION.convertValue(actual, JsonNode.class);
        JsonNode e = SERIALIZATION.convertValue(expected, JsonNode.class);
        assertThat(a).as("actual object:%n%s", SERIALIZATION.asYaml(actual)).isEqualTo(e);
    }

    public static String yaml(Object o) {
        return SERIALIZATION.asYaml(o);
    }
}
