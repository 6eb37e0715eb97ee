package dev.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerSummaryTest {

    /** Three connections in a ring: 0 -> 1 -> 2 -> 0. */
    private final ConnectionLedger c0 = new ConnectionLedger(0);
    private final ConnectionLedger c1 = new ConnectionLedger(1);
    private final ConnectionLedger c2 = new ConnectionLedger(2);

    private static void sendAndAck(ConnectionLedger sender, int count) {
        for (int i = 0; i < count; i++) {
            sender.onAck(sender.nextSeq());
        }
    }

    @Test
    void aCleanRunHasNothingLostDuplicatedOrReordered() {
        sendAndAck(c0, 3);
        sendAndAck(c1, 2);
        long id = 0;
        for (int seq = 0; seq < 3; seq++) {
            assertThat(c1.onDelivery(++id, 0, seq)).isTrue();
        }
        for (int seq = 0; seq < 2; seq++) {
            assertThat(c2.onDelivery(++id, 1, seq)).isTrue();
        }

        LedgerSummary s = LedgerSummary.of(List.of(c0, c1, c2));

        assertThat(s.sent()).isEqualTo(5);
        assertThat(s.acked()).isEqualTo(5);
        assertThat(s.delivered()).isEqualTo(5);
        assertThat(s.lost()).isZero();
        assertThat(s.duplicated()).isZero();
        assertThat(s.outOfOrder()).isZero();
        assertThat(s.unanswered()).isZero();
        assertThat(s.clean()).isTrue();
    }

    @Test
    void anAckedMessageNeverDeliveredIsLost() {
        sendAndAck(c0, 4);
        c1.onDelivery(1, 0, 0);
        c1.onDelivery(3, 0, 2);

        LedgerSummary s = LedgerSummary.of(List.of(c0, c1, c2));

        assertThat(s.lost()).isEqualTo(2);
        assertThat(s.delivered()).isEqualTo(2);
        assertThat(s.clean()).isFalse();
    }

    @Test
    void aMessageRefusedOrNeverAnsweredIsNotLost() {
        c0.onError(ErrorCode.RATE_LIMITED, c0.nextSeq());
        c0.nextSeq();
        c0.onError(ErrorCode.UNAVAILABLE, -1);

        LedgerSummary s = LedgerSummary.of(List.of(c0, c1));

        assertThat(s.lost()).isZero();
        assertThat(s.unanswered()).as("the second send got no answer; the UNAVAILABLE had no ref").isEqualTo(1);
        assertThat(s.errors()).containsExactly(Map.entry("RATE_LIMITED", 1L), Map.entry("UNAVAILABLE", 1L));
    }

    @Test
    void aMessageDeliveredTwiceToOneConnectionIsDuplicated() {
        sendAndAck(c0, 2);
        assertThat(c1.onDelivery(1, 0, 0)).isTrue();
        assertThat(c1.onDelivery(2, 0, 1)).isTrue();
        assertThat(c1.onDelivery(3, 0, 1)).as("second copy").isFalse();

        LedgerSummary s = LedgerSummary.of(List.of(c0, c1));

        assertThat(s.delivered()).isEqualTo(2);
        assertThat(s.duplicated()).isEqualTo(1);
        assertThat(s.lost()).isZero();
    }

    @Test
    void aMessageDeliveredToTwoConnectionsIsDuplicated() {
        sendAndAck(c0, 1);
        c1.onDelivery(1, 0, 0);
        c2.onDelivery(1, 0, 0);

        LedgerSummary s = LedgerSummary.of(List.of(c0, c1, c2));

        assertThat(s.delivered()).isEqualTo(1);
        assertThat(s.duplicated()).isEqualTo(1);
    }

    @Test
    void anIdNotAboveThePreviousOneIsOutOfOrder() {
        sendAndAck(c0, 4);
        c1.onDelivery(10, 0, 0);
        c1.onDelivery(12, 0, 1);
        c1.onDelivery(11, 0, 2);
        c1.onDelivery(11, 0, 3);
        // Order is per receiving connection: c2's own sequence starts afresh.
        sendAndAck(c1, 1);
        c2.onDelivery(5, 1, 0);

        LedgerSummary s = LedgerSummary.of(List.of(c0, c1, c2));

        assertThat(s.outOfOrder()).isEqualTo(2);
        assertThat(s.lost()).isZero();
    }

    @Test
    void acksThatMatchNoOutstandingSendAreCountedApart() {
        long seq = c0.nextSeq();
        c0.onAck(seq);
        c0.onAck(seq);
        c0.onAck(-1);
        c0.onAck(7);

        LedgerSummary s = LedgerSummary.of(List.of(c0));

        assertThat(s.acked()).isEqualTo(1);
        assertThat(s.unmatchedAnswers()).isEqualTo(3);
    }

    @Test
    void deliveriesThatAreNotProbesAreUnexpected() {
        c1.onUnexpected();

        assertThat(LedgerSummary.of(List.of(c0, c1)).unexpected()).isEqualTo(1);
    }

    @Test
    void pendingCountsSendsWithoutAnswer() {
        long first = c0.nextSeq();
        long second = c0.nextSeq();
        c0.nextSeq();
        c0.onAck(first);
        c0.onError(ErrorCode.RATE_LIMITED, second);

        assertThat(c0.pending()).isEqualTo(1);
        assertThat(c0.backpressured()).isZero();
    }
}
