package dev.parley.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD in crds/ and in the Helm chart is the one the build generates from the classes in api/v1alpha1. */
class CrdFileTest {
    static final String CRD_FILE = "chatservices.chat.parley.dev-v1.yml";

    @Test
    void committedCrdMatchesTheGeneratedOne() throws IOException {
        Path generated = Path.of("target", "classes", "META-INF", "fabric8", CRD_FILE);
        Path committed = Path.of(System.getProperty("parley.repo.root", ".."), "crds", CRD_FILE);
        assertThat(generated).as("the build generates %s", generated).exists();
        assertThat(Files.readString(committed))
                .as("crds/%s is out of date with the classes in api/v1alpha1: run `make crd` and commit the result", CRD_FILE)
                .isEqualTo(Files.readString(generated));
    }

    @Test
    void theChartCarriesTheSameBytes() throws IOException {
        Path root = Path.of(System.getProperty("parley.repo.root", ".."));
        assertThat(Files.readString(root.resolve("helm/chat-operator/crds").resolve(CRD_FILE)))
                .as("helm/chat-operator/crds/%s differs from crds/%s: run `make crd` and commit the result", CRD_FILE, CRD_FILE)
                .isEqualTo(Files.readString(root.resolve("crds").resolve(CRD_FILE)));
    }
}
