package dev.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadGeneratorCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cl = LoadGeneratorCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertThat(execute("--help")).isZero();

        assertThat(out.toString())
                .contains("--host", "127.0.0.1", "--port", "6000", "--connections", "(default: 100)", "--rate",
                        "--duration", "--warmup", "--drain", "--user-prefix", "--password",
                        "load-password", "--relay", "--baseline", "--json", "--text-bytes", "--max-pending",
                        "--max-pending-hellos", "(default: 64)", "Exit codes");
    }

    @Test
    void versionComesFromTheManifestOrSaysDevelopmentBuild() {
        assertThat(execute("--version")).isZero();

        assertThat(out.toString()).startsWith("parley-load ");
    }

    @Test
    void badValuesExitWithTwoAndOneLineReason() {
        assertThat(execute("--rate", "0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("parley-load: --rate must be at least 1");
        assertThat(err.toString().lines()).hasSize(2);
    }

    @Test
    void unparseableValuesExitWithTwo() {
        assertThat(execute("--duration", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
        assertThat(execute("--connections", "many")).isEqualTo(2);
        assertThat(execute("--no-such-option")).isEqualTo(2);
    }

    @Test
    void checksValuesThatOnlyMakeSenseTogether() {
        assertThat(execute("--relay", "--baseline")).isEqualTo(2);
        assertThat(execute("--connections", "1")).isEqualTo(2);
        assertThat(execute("--user-prefix", "a-very-long-user-name-prefix-x", "--connections", "1000"))
                .as("prefix plus index over 32 characters").isEqualTo(2);
        assertThat(execute("--user-prefix", "bad|prefix")).isEqualTo(2);
        assertThat(execute("--text-bytes", "20")).as("shorter than the probe header").isEqualTo(2);
        assertThat(execute("--text-bytes", "4001")).isEqualTo(2);
        assertThat(execute("--port", "70000")).isEqualTo(2);
        assertThat(execute("--duration", "0s")).isEqualTo(2);
        assertThat(execute("--target-pid", Long.toString(Long.MAX_VALUE))).as("no such process").isEqualTo(2);
        assertThat(err.toString()).contains("--relay and --baseline", "--connections must be", "--text-bytes must be");
    }

    @Test
    void durationsTakeTheSharedGrammar() {
        // the grammar itself is tested in parley-cli; here only that every duration option uses it
        for (String option : new String[] {"--duration", "--warmup", "--drain", "--hello-timeout", "--setup-timeout",
            "--send-quantum"}) {
            err.getBuffer().setLength(0);
            assertThat(execute(option, "7")).as(option).isEqualTo(2);
            assertThat(err.toString()).as(option).contains(option, "'7' has no unit");
        }
    }
}
