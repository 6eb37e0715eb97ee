package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ManifestVersionProviderTest {
    @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = ManifestVersionProvider.class)
    static final class Demo implements Runnable {
        @Override
        public void run() {
        }
    }

    @Command(name = "detailed", mixinStandardHelpOptions = true, versionProvider = ManifestVersionProvider.class)
    static final class Detailed implements Runnable, ManifestVersionProvider.Details {
        @Override
        public void run() {
        }

        @Override
        public List<String> versionDetails() {
            return List.of("protocol v9");
        }
    }

    private static String version(Object command) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--version")).isZero();
        return out.toString();
    }

    @Test
    void namesTheCommandAndSaysDevelopmentBuildWithoutAManifest() {
        // test classes come from target/test-classes: no jar, no manifest
        assertThat(version(new Demo())).isEqualTo("demo (development build)" + System.lineSeparator());
    }

    @Test
    void aCommandWithDetailsAddsLinesAfterTheFirst() {
        assertThat(version(new Detailed()).lines().toList())
                .containsExactly("detailed (development build)", "protocol v9");
    }

    @Test
    void readsTheManifestOfTheCommandsJar() {
        // picocli's own jar has an Implementation-Version: the class's jar is the one read
        assertThat(ManifestVersionProvider.versionOf(CommandLine.class)).isEqualTo(CommandLine.VERSION);
        assertThat(ManifestVersionProvider.versionOf(Demo.class)).isEqualTo(ManifestVersionProvider.DEVELOPMENT);
    }
}
