package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.command.ExitCode;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A message is either delivered or reported not sent, never both: Redis freezes (SIGSTOP) longer
 * than the server's Redis timeout while a logged-in user sends a DM. The server cannot know
 * whether the write landed; the client keeps the message pending and sends it again with the
 * same id until the server answers with its ack. The recipient gets it once, the history holds it
 * once, and the sender's screen shows it once and never says "not sent".
 */
class RedisPauseIT {
    private static final String PW = "pw";
    private static final String TEXT = "typed while redis is frozen";
    private static final Duration FREEZE = Duration.ofSeconds(12);

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(RedisPauseIT.class).servers("pause-node").build();
    private static final RedisServer redis = cluster.redis();
    private static final ChatServerProcess server = cluster.server();

    @Test
    void aDmTypedWhileRedisIsFrozenArrivesOnceAndIsNeverCalledUnsent() {
        String port = Integer.toString(server.port());
        for (String user : new String[] {"tp_alice", "tp_bob"}) {
            ClientRun.finish(PW, "127.0.0.1", port, user, "--listen", "--timeout", "100ms").assertExit(ExitCode.OK);
        }
        try (ClientRun alice = ClientRun.start(PW, "127.0.0.1", port, "tp_alice", "tp_bob", "-i");
             ClientRun bob = ClientRun.start(PW, "127.0.0.1", port, "tp_bob", "tp_alice", "-i")) {
            alice.awaitOut("no messages yet with tp_bob");
            bob.awaitOut("no messages yet with tp_alice");
            alice.type("before the freeze");
            bob.awaitOut("] tp_alice -> you: before the freeze");

            long frozenAt = System.nanoTime();
            redis.pause();
            alice.type(TEXT);
            // the server gives up on Redis after its 5 s timeout: the write may have landed
            alice.awaitOut("-- pending to tp_bob (");
            // then it refuses sends outright while it knows Redis is away, and the client keeps
            // retrying: the freeze lasts 12 s in all, as in the report, and the server still
            // counts Redis as away at its end
            Duration rest = FREEZE.minus(Duration.ofNanos(System.nanoTime() - frozenAt));
            await().pollDelay(rest.isNegative() ? Duration.ZERO : rest).atMost(FREEZE.plus(ClientRun.WAIT))
                    .until(() -> server.httpStatus("/readyz") != 200);
            redis.resume();

            bob.awaitOut("] tp_alice -> you: " + TEXT);
            alice.awaitOut("] you -> tp_bob: " + TEXT);
            // a marker after it: anything repeated would have come before
            alice.type("after the freeze");
            bob.awaitOut("] tp_alice -> you: after the freeze");
            alice.awaitOut("] you -> tp_bob: after the freeze");
            alice.type("/quit");
            bob.type("/quit");
            alice.assertExit(ExitCode.OK);
            bob.assertExit(ExitCode.OK);

            // what the person saw, for the record
            System.out.println("--- tp_alice's screen:\n" + alice.out());
            assertThat(ClientRun.occurrences(bob.out(), TEXT)).as("bob's screen%n%s", bob.out()).isEqualTo(1);
            assertThat(ClientRun.occurrences(alice.out(), "] you -> tp_bob: " + TEXT)).as(alice.out()).isEqualTo(1);
            assertThat(alice.out()).as("alice's screen").doesNotContain("not sent").doesNotContain("leaving with");
        }
        try (ClientRun later = ClientRun.start(PW, "127.0.0.1", port, "tp_bob", "tp_alice", "-i")) {
            later.awaitOut("last 3 messages with tp_alice:");
            later.type("/quit");
            later.assertExit(ExitCode.OK);
            assertThat(ClientRun.occurrences(later.out(), TEXT)).as("the history%n%s", later.out()).isEqualTo(1);
        }
    }
}
