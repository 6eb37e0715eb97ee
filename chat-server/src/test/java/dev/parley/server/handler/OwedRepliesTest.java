package dev.parley.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.pipeline.InboundGate;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OwedRepliesTest {
    private final InboundGate gate = new InboundGate();
    private final EmbeddedChannel channel = new EmbeddedChannel(gate);
    private final AtomicInteger closes = new AtomicInteger();
    private final OwedReplies owed = new OwedReplies(gate, closes::incrementAndGet);

    @Test
    void stopsReadingAtTheMaximumAndResumesHalfWayDown() {
        for (int i = 0; i < OwedReplies.MAX_OWED - 1; i++) {
            owed.owe();
        }
        assertThat(gate.isOpen()).isTrue();
        owed.owe();
        assertThat(gate.isOpen()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();

        for (int i = OwedReplies.MAX_OWED; i > OwedReplies.RESUME_OWED + 1; i--) {
            owed.settle();
        }
        assertThat(gate.isOpen()).isFalse();
        owed.settle();
        assertThat(gate.isOpen()).isTrue();
        assertThat(closes).hasValue(0);
    }

    @Test
    void aClosingConnectionClosesWithTheLastOwedReply() {
        owed.owe();
        owed.owe();
        owed.closeWhenSettled();
        assertThat(owed.closing()).isTrue();
        assertThat(gate.isOpen()).isFalse();
        owed.settle();
        assertThat(closes).hasValue(0);
        owed.settle();
        assertThat(closes).hasValue(1);
    }

    @Test
    void nothingOwedClosesAtOnce() {
        owed.closeWhenSettled();
        assertThat(closes).hasValue(1);
    }

    @Test
    void stopReadingAloneNeverCloses() {
        owed.owe();
        owed.stopReading();
        assertThat(gate.isOpen()).isFalse();
        assertThat(closes).hasValue(0);
    }
}
