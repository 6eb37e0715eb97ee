package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One of two replicas is SIGKILLed: its users leave who once its presence expires, and the other carries on. */
class ReplicaCrashIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(ReplicaCrashIT.class).servers("c-east", "c-west")
            .build();
    private static final ChatServerProcess east = cluster.server("c-east");
    private static final ChatServerProcess west = cluster.server("c-west");

    @Test
    void aCrashedReplicasUsersLeaveWhoAndTheirDmsAreKept() {
        String alice = user("c-alice");
        String bob = user("c-bob");
        try (TestConnection a = login(east, alice);
             TestConnection b = login(west, bob)) {
            await().atMost(ItSupport.WAIT).untilAsserted(() -> {
                a.send(new ClientFrame.Who());
                assertThat(a.expect(ServerFrame.WhoList.class).users()).contains(alice, bob);
            });
            west.kill();
            assertThat(b.awaitClosed(ItSupport.WAIT)).isTrue();
            // no goodbye from a killed replica: its users go when its heartbeat expires (15 s)
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                a.send(new ClientFrame.Who());
                assertThat(a.expect(ServerFrame.WhoList.class).users()).contains(alice).doesNotContain(bob);
            });
            ServerFrame.Ack ack = sendAcked(a, bob, "are you there?");
            // bob comes back on the surviving replica and finds it
            try (TestConnection b2 = east.connect()) {
                b2.send(new ClientFrame.Hello(bob, PASSWORD, alice, null, null));
                b2.expect(ServerFrame.Welcome.class);
                ServerFrame.History h = b2.expect(ServerFrame.History.class);
                assertThat(h.messages()).extracting(ChatMessage::id).contains(ack.id());
            }
        }
    }
}
