package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertReceivesExactly;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.sendMany;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica frozen (SIGSTOP) while the others store more messages than the fan-out stream keeps
 * (`--events-retention`) cannot deliver them all live any more: it must say so and close its
 * clients' connections rather than skip what was trimmed, and the clients then catch up from
 * the conversation streams with since, nothing missing and nothing twice.
 */
class FallBehindIT {
    private static final int RETENTION = 1000;

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(FallBehindIT.class).servers("east", "west")
            .arg("--rate-limit", "0", "--events-retention", Integer.toString(RETENTION)).build();
    private static final ChatServerProcess east = cluster.server("east");
    private static final ChatServerProcess west = cluster.server("west");

    @Test
    void aReplicaThatFellBehindTheStreamClosesItsClientsAndTheyCatchUpWithSince() {
        String reader = user("fb-reader");
        List<Long> sent = new ArrayList<>();
        List<Long> live = new ArrayList<>();
        try (TestConnection w = login(east, user("fb-writer")); TestConnection r = login(west, reader)) {
            long first = sendAcked(w, "*", "before the freeze").id();
            assertThat(r.awaitMsgIds(1, WAIT)).containsExactly(first);
            live.add(first);
            sent.add(first);

            west.pause();
            try {
                // three times what the stream keeps (it trims whole nodes, so keeps a little more)
                for (int i = 0; i < 6; i++) {
                    sent.addAll(sendMany(w, "*", RETENTION / 2));
                }
            } finally {
                west.resume();
            }

            ServerFrame.Error error = null;
            long end = System.nanoTime() + WAIT.toNanos();
            for (int i = 0; i < 10 * RETENTION && error == null && System.nanoTime() < end; i++) {
                ServerFrame f = r.next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
                if (f instanceof ServerFrame.Msg m) {
                    live.add(m.message().id());
                } else if (f instanceof ServerFrame.Error e) {
                    error = e;
                } else {
                    fail("expected msgs, then an error, got " + (f == null ? "nothing / end of stream" : f));
                }
            }
            assertThat(error).as("an error telling the client to catch up").isNotNull();
            assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(error.message()).contains("fell behind");
            assertThat(r.awaitClosed(WAIT)).as("connection closed after the error").isTrue();
        }
        // what arrived live is the start of what was sent, in order; the hole was not skipped over
        assertThat(live.size()).isLessThan(sent.size());
        assertThat(live).isEqualTo(sent.subList(0, live.size()));

        long lastSeen = live.get(live.size() - 1);
        try (TestConnection again = ItSupport.resume(west, reader, lastSeen)) {
            assertReceivesExactly(again, sent.subList(live.size(), sent.size()), "the rest, caught up from history");
        }
    }

    /**
     * During a rolling upgrade a replica of the earlier version stores its messages in
     * {@code parley:events} (one entry per message) while this version writes {@code parley:fanout}
     * (one per batch); both take ids from one counter. This version reads both, so the earlier
     * replica's messages reach its clients live, in id order. Imitated by storing one message by
     * hand as such a replica does (a stand-in: the earlier version is not built for the test). The
     * reading replica is frozen meanwhile, so it reads all of it in one go.
     */
    @Test
    void aMessageStoredByAnEarlierVersionIsDeliveredLiveInOrder() {
        String reader = user("up-reader");
        String writer = user("up-writer");
        try (TestConnection w = login(east, writer); TestConnection r = login(west, reader)) {
            long first = sendAcked(w, "*", "first").id();
            assertThat(r.awaitMsgIds(1, WAIT)).containsExactly(first);
            List<Long> sent = new ArrayList<>();
            west.pause();
            try {
                sent.add(sendAcked(w, "*", "second").id());
                sent.add(storeAsAnEarlierVersion(writer, "by-an-earlier-version"));
                sent.add(sendAcked(w, "*", "third").id());
            } finally {
                west.resume();
            }
            assertThat(sent).as("ids from one counter").containsExactly(first + 1, first + 2, first + 3);
            assertThat(r.awaitMsgIds(3, WAIT)).isEqualTo(sent);
            // and without the freeze, when the earlier version's message is the newest
            long last = storeAsAnEarlierVersion(writer, "newest-by-an-earlier-version");
            assertThat(r.awaitMsgIds(1, WAIT)).containsExactly(last);
            ItSupport.assertUsable(r);
        }
    }

    /**
     * An id that neither stream holds (trimmed; here taken from the counter and never stored) is
     * a hole: the replica delivers what precedes it, then closes its clients, who resume with
     * since. It never skips over it, not even in the middle of one read.
     */
    @Test
    void anIdInNeitherStreamIsNotSkippedOver() {
        String reader = user("hole-reader");
        long second;
        long third;
        try (TestConnection w = login(east, user("hole-writer")); TestConnection r = login(west, reader)) {
            long first = sendAcked(w, "*", "first").id();
            assertThat(r.awaitMsgIds(1, WAIT)).containsExactly(first);
            west.pause();
            try {
                second = sendAcked(w, "*", "second").id();
                cluster.redis().command("INCR parley:seq");
                // not waiting for the ack: east finds the hole too and may tell w first
                w.send(new ClientFrame.Send("*", "third", ItSupport.ref()));
                third = second + 2;
            } finally {
                west.resume();
            }
            assertThat(r.awaitMsgIds(1, WAIT)).as("what follows on is delivered").containsExactly(second);
            ServerFrame.Error error = ItSupport.expectError(r, ErrorCode.UNAVAILABLE);
            assertThat(error.message()).contains("fell behind");
            assertThat(r.awaitClosed(WAIT)).as("connection closed after the error").isTrue();
        }
        try (TestConnection again = ItSupport.resume(west, reader, second)) {
            assertReceivesExactly(again, List.of(third), "the rest, caught up from history");
        }
    }

    /**
     * A fan-out entry this server cannot read (written by hand here; in life a version with
     * another format) must not stop live delivery nor be read again and again: the replicas
     * report it, their clients resume with since, and what is stored after it arrives live.
     */
    @Test
    void aFanOutEntryThatCannotBeReadIsReportedAndSteppedOver() {
        String reader = user("bad-reader");
        long first;
        try (TestConnection w = login(east, user("bad-writer")); TestConnection r = login(west, reader)) {
            first = sendAcked(w, "*", "first").id();
            assertThat(r.awaitMsgIds(1, WAIT)).containsExactly(first);
            long bad = Long.parseLong(cluster.redis().command("INCR parley:seq").substring(1));
            cluster.redis().command("XADD parley:fanout " + bad + "-0 n 1 ts 1 msgs not-length-prefixed");
            // both replicas report it to every client of theirs
            for (TestConnection c : List.of(r, w)) {
                ServerFrame.Error error = ItSupport.expectError(c, ErrorCode.UNAVAILABLE);
                assertThat(error.message()).contains("fell behind");
                assertThat(c.awaitClosed(WAIT)).as("connection closed after the error").isTrue();
            }
        }
        try (TestConnection w = login(east, user("bad-writer-2"))) {
            long second = sendAcked(w, "*", "second").id();
            try (TestConnection again = ItSupport.resume(west, reader, first)) {
                assertReceivesExactly(again, List.of(second), "what since finds (the unreadable entry has no conversation)");
                long third = sendAcked(w, "*", "third").id();
                assertThat(again.awaitMsgIds(1, WAIT)).as("live again after the entry").containsExactly(third);
                ItSupport.assertUsable(again);
            }
        }
    }

    /** Stores a broadcast the way a replica of the previous version does; returns its id. */
    private static long storeAsAnEarlierVersion(String from, String text) {
        long id = Long.parseLong(cluster.redis().command("INCR parley:seq").substring(1));
        String fields = " from " + from + " to * text " + text + " ts " + System.currentTimeMillis();
        cluster.redis().command("XADD parley:conv:* " + id + "-0" + fields);
        cluster.redis().command("XADD parley:events " + id + "-0" + fields + " origin earlier/1");
        return id;
    }
}
