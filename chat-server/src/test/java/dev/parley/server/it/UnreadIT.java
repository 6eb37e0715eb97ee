package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.ids;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.register;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.sendMany;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code unread} request and {@code read} frame: read positions per user and conversation,
 * kept in Redis, shared by every session of the user on every replica.
 */
class UnreadIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(UnreadIT.class).servers("unread-a", "unread-b")
            .arg("--rate-limit", "0").build();
    private static final ChatServerProcess serverA = cluster.server("unread-a");
    private static final ChatServerProcess serverB = cluster.server("unread-b");

    @Test
    void aDmSentWhileOfflineIsListedWithItsCountAndMessage() {
        String alice = user("unr-a");
        String bob = user("unr-b");
        register(serverA, alice);
        long sent;
        try (TestConnection b = login(serverA, bob)) {
            sent = sendAcked(b, alice, "are you there?").id();
        }
        try (TestConnection a = login(serverA, alice)) {
            ServerFrame.Unread unread = askUnread(a);
            ServerFrame.Unread.Conversation withBob = dms(unread).get(0);
            assertThat(dms(unread)).containsExactly(new ServerFrame.Unread.Conversation(bob, 1, withBob.read(),
                    List.of(new ChatMessage(sent, bob, alice, "are you there?", withBob.messages().get(0).ts()))));
            // never read: the position is where alice's account began, below bob's message
            assertThat(withBob.read()).isLessThan(sent);
            assertUsable(a); // one answer, nothing after it
        }
        // bob's own message is not unread to bob
        try (TestConnection b = login(serverA, bob)) {
            assertThat(dms(askUnread(b))).isEmpty();
        }
    }

    @Test
    void aReadOnOneDeviceIsSeenByASessionOnAnotherReplica() {
        String alice = user("unr-dev-a");
        String bob = user("unr-dev-b");
        register(serverA, alice);
        List<Long> sent;
        try (TestConnection b = login(serverA, bob)) {
            sent = sendMany(b, alice, 8);
        }
        try (TestConnection laptop = login(serverA, alice); TestConnection phone = login(serverB, alice)) {
            ServerFrame.Unread.Conversation before = dms(askUnread(phone)).get(0);
            // at most the preview's worth of messages, the newest ones, and the full count
            assertThat(before.count()).isEqualTo(8);
            assertThat(ids(before.messages())).isEqualTo(sent.subList(8 - Protocol.UNREAD_PREVIEW, 8));
            laptop.send(new ClientFrame.Read(bob, sent.get(5)));
            await().atMost(WAIT).untilAsserted(() -> assertThat(dms(askUnread(phone)))
                    .containsExactly(new ServerFrame.Unread.Conversation(bob, 2, sent.get(5),
                            dms(askUnread(phone)).get(0).messages())));
            assertThat(ids(dms(askUnread(phone)).get(0).messages())).isEqualTo(sent.subList(6, 8));
            // a position never moves back, and reading the newest leaves nothing unread
            laptop.send(new ClientFrame.Read(bob, sent.get(1)));
            laptop.send(new ClientFrame.Read(bob, sent.get(7)));
            await().atMost(WAIT).untilAsserted(() -> assertThat(dms(askUnread(phone))).isEmpty());
        }
    }

    @Test
    void aReadOfAConversationThatDoesNotExistStoresNothing() {
        String alice = user("unr-none");
        try (TestConnection a = login(serverA, alice)) {
            a.send(new ClientFrame.Read(user("stranger"), 5));
            assertUsable(a); // never answered
            assertThat(cluster.redis().command("HEXISTS parley:read:" + alice + " " + user("stranger")))
                    .isEqualTo(":0");
        }
    }

    @Test
    void aNewAccountFindsUnreadOnlyWhatWasSaidAfterItWasCreated() {
        String early = user("unr-early");
        String late = user("unr-late");
        try (TestConnection e = login(serverA, early)) {
            sendMany(e, Protocol.BROADCAST, 3);
            register(serverA, late);
            long after = sendAcked(e, Protocol.BROADCAST, "welcome, late").id();
            try (TestConnection l = login(serverB, late)) {
                List<ServerFrame.Unread.Conversation> unread = askUnread(l).conversations();
                assertThat(unread).hasSize(1);
                assertThat(unread.get(0).with()).isEqualTo(Protocol.BROADCAST);
                assertThat(unread.get(0).count()).isEqualTo(1);
                assertThat(ids(unread.get(0).messages())).containsExactly(after);
            }
        }
    }

    @Test
    void anAccountFromBeforeReadPositionsStartsCountingAtItsFirstUnreadRequest() {
        String old = user("unr-old");
        String bob = user("unr-old-b");
        register(serverA, old);
        // what an account registered by a 1.0 server looks like: no read positions at all
        cluster.redis().command("DEL parley:read:" + old);
        try (TestConnection b = login(serverA, bob)) {
            sendAcked(b, old, "from before the upgrade");
            try (TestConnection o = login(serverA, old)) {
                assertThat(dms(askUnread(o))).isEmpty();
                long fresh = sendAcked(b, old, "after").id();
                o.expect(ServerFrame.Msg.class);
                List<ServerFrame.Unread.Conversation> now = dms(askUnread(o));
                assertThat(now).hasSize(1);
                assertThat(ids(now.get(0).messages())).containsExactly(fresh);
            }
        }
    }

    private static ServerFrame.Unread askUnread(TestConnection c) {
        c.send(new ClientFrame.UnreadRequest());
        return c.expect(ServerFrame.Unread.class);
    }

    /** The DM conversations: broadcasts of other tests in this class may be unread. */
    private static List<ServerFrame.Unread.Conversation> dms(ServerFrame.Unread unread) {
        return unread.conversations().stream().filter(c -> !Protocol.BROADCAST.equals(c.with())).toList();
    }
}
