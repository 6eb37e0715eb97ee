package dev.parley.client.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.chat.ChatState;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingSendsTest {
    private final ChatState state = new ChatState("alice", "bob");
    private final RecordingScreen screen = new RecordingScreen();
    private final List<ClientFrame.Send> sent = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean connected = true;
    private final PendingSends pending = new PendingSends(state, frame -> {
        if (!connected) {
            return false;
        }
        sent.add((ClientFrame.Send) frame);
        return true;
    }, screen.open("alice"), retries);

    @AfterEach
    void stop() {
        retries.shutdownNow();
    }

    @Test
    void aMessageGoesOutTaggedWithItsIdAsRef() {
        pending.send("bob", "hi");
        assertThat(sent).singleElement().satisfies(s -> {
            assertThat(s.to()).isEqualTo("bob");
            assertThat(s.text()).isEqualTo("hi");
            assertThat(s.ref()).isEqualTo(s.id()).isNotNull();
        });
        assertThat(screen.lines).isEmpty();
    }

    @Test
    void withoutAConnectionItWaitsAndGoesAfterTheCatchUpOnceOnly() {
        connected = false;
        pending.send("*", "hello all");
        assertThat(screen.lines).containsExactly("-- not connected; it will be sent when the connection is back");
        connected = true;
        pending.transmitPending();
        pending.transmitPending();
        assertThat(sent).extracting(ClientFrame.Send::text).containsExactly("hello all");
    }

    @Test
    void aLostConnectionSendsTheAttemptsInFlightAgainWithTheSameId() {
        pending.send("bob", "one");
        pending.disconnected();
        pending.transmitPending();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).id()).isEqualTo(sent.get(0).id());
        assertThat(screen.lines).containsExactly(
                "-- 1 message pending; it goes again once reconnected, and the server stores each one once");
    }

    @Test
    void aPassingRefusalIsSaidOnceAndRetriedAfterThePauseTheServerAsked() throws Exception {
        pending.send("bob", "hi");
        String id = sent.get(0).id();
        long start = System.nanoTime();
        pending.retryLater(new ServerFrame.Error(ErrorCode.RATE_LIMITED, "slow down", id, false, 300L));
        awaitSent(2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290);
        pending.retryLater(new ServerFrame.Error(ErrorCode.RATE_LIMITED, "slow down", id, false, 10L));
        awaitSent(3);
        assertThat(sent).extracting(ClientFrame.Send::id).containsOnly(id);
        assertThat(screen.lines).containsExactly("-- pending to bob (sending too fast; retrying in a moment): \"hi\"");
    }

    @Test
    void aRefusalForAMessageNotPendingIsAnError() {
        pending.retryLater(new ServerFrame.Error(ErrorCode.UNAVAILABLE, "store down", "nope", false, null));
        assertThat(screen.lines).hasSize(1).allMatch(line -> line.startsWith("!! "));
        assertThat(sent).isEmpty();
    }

    @Test
    void leavingSaysWhatTheServerNeverConfirmed() {
        pending.reportUnconfirmed();
        assertThat(screen.lines).isEmpty();
        pending.send("bob", "one");
        pending.send("bob", "two");
        pending.reportUnconfirmed();
        assertThat(screen.lines).containsExactly(
                "!! leaving with 2 messages the server has not confirmed; they may not have been sent");
    }

    private void awaitSent(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sent.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sent).hasSize(n);
    }
}
