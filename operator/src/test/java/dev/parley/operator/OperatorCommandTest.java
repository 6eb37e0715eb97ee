package dev.parley.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: defaults, values from flags, and bad values refused with exit code 2. */
class OperatorCommandTest {
    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(OperatorCommand command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(out));
        return cli.execute(args);
    }

    @Test
    void flagsBecomeTheConfig() {
        OperatorCommand command = new OperatorCommand();
        assertThat(run(command, "--server-image", "example/chat:1", "--redis-image", "example/redis:7",
                "--namespaces", "team-a, team-b", "--http-port", "9000", "--leader-election",
                "--leader-election-namespace", "ops", "--identity", "op-1")).isZero();
        assertThat(command.config()).isEqualTo(new OperatorConfig("example/chat:1", "example/redis:7",
                Set.of("team-a", "team-b"), 9000, true, "ops", "op-1"));
    }

    @Test
    void defaultsWatchEverythingWithoutLeaderElection() {
        OperatorCommand command = new OperatorCommand();
        assertThat(run(command)).isZero();
        OperatorConfig c = command.config();
        assertThat(c.namespaces()).isEmpty();
        assertThat(c.leaderElection()).isFalse();
        assertThat(c.httpPort()).isEqualTo(8081);
        assertThat(c.identity()).isNotBlank();
        assertThat(c.serverImage()).isNotBlank();
        assertThat(c.redisImage()).isNotBlank();
    }

    @Test
    void badValuesExitWithTwoAndOneLine() {
        assertThat(run(new OperatorCommand(), "--namespaces", "Team_A")).isEqualTo(2);
        assertThat(err.toString()).startsWith("--namespaces: 'Team_A' is not a namespace name");
        assertThat(run(new OperatorCommand(), "--http-port", "70000")).isEqualTo(2);
        assertThat(run(new OperatorCommand(), "--server-image", " ")).isEqualTo(2);
        assertThat(run(new OperatorCommand(), "--no-such-flag")).isEqualTo(2);
    }

    @Test
    void versionNamesTheOperator() {
        assertThat(run(new OperatorCommand(), "--version")).isZero();
        assertThat(out.toString()).startsWith("chat-operator ");
    }

    @Test
    void helpNamesEveryEnvironmentVariable() {
        assertThat(run(new OperatorCommand(), "--help")).isZero();
        assertThat(out.toString()).contains("PARLEY_SERVER_IMAGE", "PARLEY_REDIS_IMAGE", "PARLEY_NAMESPACES",
                "PARLEY_HTTP_PORT", "PARLEY_LEADER_ELECTION", "POD_NAMESPACE", "POD_NAME");
    }
}
