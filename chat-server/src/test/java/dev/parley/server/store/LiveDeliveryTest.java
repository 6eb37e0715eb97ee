package dev.parley.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveDeliveryTest {
    private final List<Long> delivered = new ArrayList<>();
    private final List<String> breaks = new ArrayList<>();
    private final LiveDelivery delivery = new LiveDelivery(new EventDispatcher.Listener() {
        @Override
        public void onMessages(List<StoredMessage> messages) {
            messages.forEach(m -> delivered.add(m.message().id()));
        }

        @Override
        public void onDiscontinuity(String reason) {
            breaks.add(reason);
        }
    });

    private static List<StoredMessage> run(long first, long last) {
        List<StoredMessage> out = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            out.add(new StoredMessage(new ChatMessage(id, "a", "b", "m" + id, id), "n/1"));
        }
        return out;
    }

    @Test
    void nothingIsDeliveredBeforeTheStartIsKnown() {
        assertThat(delivery.offer(-1, run(1, 3))).isFalse();
        assertThat(delivered).isEmpty();
        assertThat(delivery.lastId()).isEqualTo(-1);
    }

    @Test
    void runsFromBothThreadsAreDeliveredOnceAndInOrder() {
        delivery.restartAfter(10);
        // the writer's batch, then the dispatcher's read of the same entries and the next one
        assertThat(delivery.offerFromWriter(10, run(11, 13))).isTrue();
        assertThat(delivery.offer(10, run(11, 14))).isTrue();
        // a writer that asked from an older cursor gets only what is new
        assertThat(delivery.offerFromWriter(12, run(13, 16))).isTrue();

        assertThat(delivered).containsExactly(11L, 12L, 13L, 14L, 15L, 16L);
        assertThat(delivery.lastId()).isEqualTo(16);
    }

    @Test
    void aRunThatWouldLeaveAGapIsRefusedAndDeliversNothing() {
        delivery.restartAfter(10);
        assertThat(delivery.offerFromWriter(12, run(13, 15))).isFalse();

        assertThat(delivered).isEmpty();
        assertThat(delivery.lastId()).isEqualTo(10);
    }

    @Test
    void onlyAnAcceptedWriterRunKeepsTheDispatcherAway() {
        delivery.restartAfter(10);
        assertThat(delivery.nanosSinceWriterDelivered()).isGreaterThan(EventDispatcher.WRITER_QUIET_NANOS);

        delivery.offerFromWriter(12, run(13, 15));
        assertThat(delivery.nanosSinceWriterDelivered()).isGreaterThan(EventDispatcher.WRITER_QUIET_NANOS);

        long before = System.nanoTime();
        delivery.offerFromWriter(10, run(11, 11));
        assertThat(delivery.nanosSinceWriterDelivered()).isLessThanOrEqualTo(System.nanoTime() - before);
    }

    @Test
    void skippingPastAnUnreadableEntryNeverMovesTheCursorBack() {
        delivery.restartAfter(10);
        delivery.skipTo(12);
        assertThat(delivery.lastId()).isEqualTo(12);
        delivery.offer(12, run(13, 20));
        delivery.skipTo(15);
        assertThat(delivery.lastId()).isEqualTo(20);
        assertThat(delivered).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
    }

    @Test
    void aDiscontinuityReachesTheListener() {
        delivery.discontinuity("messages 5 to 9 left the stream");
        assertThat(breaks).containsExactly("messages 5 to 9 left the stream");
    }
}
