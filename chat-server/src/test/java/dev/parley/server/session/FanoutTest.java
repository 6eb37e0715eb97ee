package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.store.StoredMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanoutTest {
    private final ServerMetrics metrics = new ServerMetrics();
    private final SessionRegistry registry = new SessionRegistry();
    private final Fanout fanout = new Fanout(registry);

    private Session live(String origin, String user) {
        Session s = new Session(new EmbeddedChannel(), origin, user, "*", 1 << 20, metrics);
        s.startLiveAfterCatchUp(0, List.of(), false);
        registry.add(s);
        return s;
    }

    private static int received(Session s) {
        EmbeddedChannel ch = (EmbeddedChannel) s.channel();
        ch.runPendingTasks();
        int n = 0;
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            ((ByteBuf) o).release();
            n++;
        }
        return n;
    }

    @Test
    void dmReachesEveryRecipientSessionAndTheSendersOtherSessionsOnly() {
        Session aliceSending = live("n/1", "alice");
        Session aliceOther = live("n/2", "alice");
        Session bob1 = live("n/3", "bob");
        Session bob2 = live("n/4", "bob");
        Session carol = live("n/5", "carol");

        fanout.onMessages(List.of(new StoredMessage(new ChatMessage(1, "alice", "bob", "hi", 1), "n/1")));

        assertThat(received(aliceSending)).isZero();
        assertThat(received(aliceOther)).isEqualTo(1);
        assertThat(received(bob1)).isEqualTo(1);
        assertThat(received(bob2)).isEqualTo(1);
        assertThat(received(carol)).isZero();
    }

    @Test
    void broadcastReachesEveryoneButTheSendingSession() {
        Session sender = live("n/1", "alice");
        Session other = live("n/2", "alice");
        Session bob = live("n/3", "bob");

        fanout.onMessages(List.of(new StoredMessage(new ChatMessage(1, "alice", "*", "hi", 1), "n/1"),
                new StoredMessage(new ChatMessage(2, "server", "*", "notice", 2), "admin")));

        assertThat(received(sender)).isEqualTo(1);
        assertThat(received(other)).isEqualTo(2);
        assertThat(received(bob)).isEqualTo(2);
    }

    @Test
    void sessionsThatLeftGetNothing() {
        Session bob = live("n/3", "bob");
        registry.remove(bob);
        fanout.onMessages(List.of(new StoredMessage(new ChatMessage(1, "alice", "bob", "hi", 1), "n/1")));
        assertThat(received(bob)).isZero();
        assertThat(registry.users()).doesNotContain("bob");
    }
}
