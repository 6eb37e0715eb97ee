package dev.parley.e2e.reconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.e2e.load.LoadGeneratorCommand;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code parley-load reconnect} against a real chat server and redis-server on loopback: the
 * users log in, the server is killed and started again, and every user comes back, with its
 * resume token or, asked to, with its password.
 */
class ReconnectIT {
    private static final int USERS = 40;

    /** Fresh for each test, as before: each storm kills the server it runs against. */
    @RegisterExtension
    final ParleyCluster cluster = ParleyCluster.builder(ReconnectIT.class).appendOnly().servers("storm-it").build();
    final ChatServerProcess server = cluster.server();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @Test
    void everyUserComesBackWithItsTokenAfterAServerRestart() throws Exception {
        int code = stormAcrossARestart("rcit");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains(USERS + " logged in, " + USERS + " dropped, " + USERS + " back, 0 gave up")
                .contains(USERS + " token")
                .doesNotContain("password")
                .doesNotContain("refused/retried");
    }

    @Test
    void withoutTokensEveryUserComesBackWithItsPassword() throws Exception {
        int code = stormAcrossARestart("rcpw", "--no-tokens");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains(USERS + " back").contains(USERS + " password").doesNotContain("token");
    }

    @Test
    void aServerThatNeverGoesAwayIsReportedAsNoDrop() throws Exception {
        CommandLine cl = LoadGeneratorCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("reconnect", "--port", Integer.toString(server.port()), "--connections", "3",
                "--user-prefix", "rcnd", "--drop-timeout", "1s");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("no connection dropped within");
    }

    private int stormAcrossARestart(String prefix, String... extra) throws Exception {
        CommandLine cl = LoadGeneratorCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] args = concat(new String[] {"reconnect", "--port", Integer.toString(server.port()),
            "--connections", Integer.toString(USERS), "--user-prefix", prefix, "--drop-timeout", "60s",
            "--timeout", "60s"}, extra);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cl.execute(args));

        await().atMost(Duration.ofSeconds(60)).until(() -> err.toString().contains("logged in; restart the server"));
        server.kill();
        server.start();
        return run.get(90, TimeUnit.SECONDS);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
