package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Protocol;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatStateTest {
    private final ChatState state = new ChatState("alice", "bob");

    @Test
    void recipientStartsFromTheArgumentAndStarMeansEveryone() {
        assertThat(state.recipient()).isEqualTo("bob");
        assertThat(state.conversation()).isEqualTo("bob");
        state.recipient("*");
        assertThat(state.recipient()).isNull();
        assertThat(state.conversation()).isEqualTo("*");
        assertThat(new ChatState("alice", null).conversation()).isEqualTo("*");
    }

    @Test
    void countsTheMessagesWaitingForTheServerLongerThanAGivenTime() {
        Outgoing first = state.outgoing("bob", "one");
        state.outgoing("bob", "two");
        assertThat(state.unconfirmedLongerThan(Duration.ofHours(1))).isZero();
        assertThat(state.unconfirmedLongerThan(Duration.ZERO)).isEqualTo(2);
        state.acked(first.id(), 4, 1000);
        assertThat(state.unconfirmedLongerThan(Duration.ZERO)).isEqualTo(1);
    }

    @Test
    void resumesAfterTheLastMessageShown() {
        assertThat(state.resumeAfter()).isZero();
        state.shownOnLogin("bob", List.of(msg(3, "bob", "alice"), msg(7, "alice", "bob")));
        assertThat(state.resumeAfter()).isEqualTo(7);
        assertThat(state.accept(msg(9, "carol", "*"))).isEqualTo(ChatState.Verdict.SHOW);
        assertThat(state.resumeAfter()).isEqualTo(9);
    }

    @Test
    void olderPagesDoNotMoveTheResumePoint() {
        state.shownOnLogin("bob", List.of(msg(10, "bob", "alice")));
        state.shownPage("bob", List.of(msg(2, "bob", "alice"), msg(4, "alice", "bob")));
        assertThat(state.resumeAfter()).isEqualTo(10);
        assertThat(state.oldestShown("bob")).isEqualTo(2);
    }

    @Test
    void aRepeatedOrOlderIdIsFlaggedNotShown() {
        assertThat(state.accept(msg(5, "bob", "alice"))).isEqualTo(ChatState.Verdict.SHOW);
        assertThat(state.accept(msg(5, "bob", "alice"))).isEqualTo(ChatState.Verdict.OUT_OF_ORDER);
        assertThat(state.accept(msg(4, "bob", "alice"))).isEqualTo(ChatState.Verdict.OUT_OF_ORDER);
    }

    @Test
    void ownMessagesShownOnAckAreSkippedWhenAResumeReplaysThem() {
        state.accept(msg(5, "bob", "alice"));
        Outgoing out = state.outgoing("bob", "hi");
        ChatState.Acked shown = state.acked(out.id(), 6, 1000);
        assertThat(shown).isEqualTo(new ChatState.Acked(new ChatMessage(6, "alice", "bob", "hi", 1000), false));
        // the connection drops; since=5 replays message 6, which alice has already seen
        assertThat(state.resumeAfter()).isEqualTo(5);
        assertThat(state.accept(msg(6, "alice", "bob"))).isEqualTo(ChatState.Verdict.OWN);
        assertThat(state.accept(msg(7, "bob", "alice"))).isEqualTo(ChatState.Verdict.SHOW);
        assertThat(state.resumeAfter()).isEqualTo(7);
    }

    @Test
    void anAckOvertakingAnotherUsersMessageLosesNothing() {
        state.accept(msg(10, "bob", "alice"));
        Outgoing out = state.outgoing("*", "mine");
        state.acked(out.id(), 12, 1000);
        // message 11 from carol is still on its way: resuming must not skip it
        assertThat(state.resumeAfter()).isEqualTo(10);
        assertThat(state.accept(msg(11, "carol", "*"))).isEqualTo(ChatState.Verdict.SHOW);
        assertThat(state.accept(msg(12, "alice", "*"))).isEqualTo(ChatState.Verdict.OWN);
    }

    @Test
    void ownMessageFromAnotherSessionIsShown() {
        assertThat(state.accept(msg(3, "alice", "bob"))).isEqualTo(ChatState.Verdict.SHOW);
    }

    @Test
    void aMessageRefusedForGoodIsForgottenAndOneUnconfirmedIsKept() throws InterruptedException {
        Outgoing a = state.outgoing("bob", "one");
        Outgoing b = state.outgoing("bob", "two");
        assertThat(a.id()).isNotEqualTo(b.id()).matches(Protocol.SEND_ID);
        assertThat(state.failed(a.id())).isEqualTo(a);
        assertThat(state.failed(a.id())).isNull();
        assertThat(state.acked("nonsense", 1, 1)).isNull();
        assertThat(state.awaitConfirmed(Duration.ofMillis(10))).isFalse();
        assertThat(state.attempt(b.id())).isTrue();
        assertThat(state.disconnected()).containsExactly(b);
        // still pending after the drop, and free for the attempt after the reconnection
        assertThat(state.unacknowledged()).containsExactly(b);
        assertThat(state.attempt(b.id())).isTrue();
        state.acked(b.id(), 3, 1);
        assertThat(state.unacknowledged()).isEmpty();
        assertThat(state.awaitConfirmed(Duration.ofMillis(10))).isTrue();
    }

    @Test
    void oneAttemptAtATimeAndAPassingRefusalKeepsTheMessage() {
        Outgoing a = state.outgoing("bob", "one");
        assertThat(state.attempt(a.id())).isTrue();
        assertThat(state.attempt(a.id())).as("an attempt awaits its answer").isFalse();
        ChatState.Retry first = state.refusedForNow(a.id());
        assertThat(first.message()).isEqualTo(a);
        assertThat(first.first()).isTrue();
        assertThat(first.delay()).isPositive();
        assertThat(state.attempt(a.id())).isTrue();
        assertThat(state.refusedForNow(a.id()).first()).as("said once").isFalse();
        assertThat(state.refusedForNow("unknown")).isNull();
        assertThat(state.unacknowledged()).containsExactly(a);
    }

    @Test
    void theAckOfARetryDoesNotShowAMessageTheCatchUpShowed() {
        state.accept(msg(5, "bob", "alice"));
        Outgoing out = state.outgoing("bob", "text 6");
        // stored as 6, but the connection dropped before the ack: the catch-up shows it
        state.disconnected();
        assertThat(state.accept(msg(6, "alice", "bob"))).isEqualTo(ChatState.Verdict.SHOW);
        // the retry with the same id is answered with the original ack
        ChatState.Acked acked = state.acked(out.id(), 6, 6000);
        assertThat(acked.alreadyShown()).isTrue();
        assertThat(state.unacknowledged()).isEmpty();
    }

    @Test
    void pendingMessagesAreBounded() {
        for (int i = 0; i < ChatState.MAX_PENDING; i++) {
            assertThat(state.outgoing("bob", "m" + i)).isNotNull();
        }
        assertThat(state.outgoing("bob", "one too many")).isNull();
        assertThat(state.unacknowledged()).hasSize(ChatState.MAX_PENDING);
    }

    @Test
    void conversationIsSeenFromThisUser() {
        assertThat(state.conversationOf(msg(1, "bob", "alice"))).isEqualTo("bob");
        assertThat(state.conversationOf(msg(1, "alice", "carol"))).isEqualTo("carol");
        assertThat(state.conversationOf(msg(1, "carol", "*"))).isEqualTo("*");
    }

    @Test
    void oldestShownIsPerConversation() {
        state.accept(msg(4, "bob", "alice"));
        state.accept(msg(5, "carol", "*"));
        state.acked(state.outgoing("bob", "x").id(), 6, 1);
        assertThat(state.oldestShown("bob")).isEqualTo(4);
        assertThat(state.oldestShown("*")).isEqualTo(5);
        assertThat(state.oldestShown("dave")).isNull();
    }

    private static ChatMessage msg(long id, String from, String to) {
        return new ChatMessage(id, from, to, "text " + id, 1_000L * id);
    }
}
