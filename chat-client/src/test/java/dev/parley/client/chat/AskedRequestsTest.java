package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.chat.AskedRequests.Asked;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AskedRequestsTest {
    private final AskedRequests asked = new AskedRequests();

    @Test
    void anAnswerGoesToTheWaitingCheckOnlyWhenTheOldestRequestIsOne() {
        CompletableFuture<ServerFrame> check = new CompletableFuture<>();
        asked.add(Asked.shown());
        asked.add(Asked.check(check));
        ServerFrame.WhoList who = new ServerFrame.WhoList(List.of("bob"));
        ServerFrame.Error error = new ServerFrame.Error(ErrorCode.NO_SUCH_USER, "no such user", null);
        assertThat(asked.answersCheck(who)).isFalse();
        assertThat(asked.answersCheck(error)).isTrue();
        assertThat(check).isCompletedWithValue(error);
        assertThat(asked.answersCheck(who)).isFalse();
    }

    @Test
    void knowsTheLoginsUnreadRequest() {
        assertThat(asked.oldestIsUnread()).isFalse();
        asked.add(Asked.unreadOnLogin());
        asked.add(Asked.shown());
        assertThat(asked.oldestIsUnread()).isTrue();
        assertThat(asked.take().unread()).isTrue();
        assertThat(asked.oldestIsUnread()).isFalse();
    }

    @Test
    void waitsUntilEveryRequestIsAnsweredOrWithdrawn() throws Exception {
        Asked who = Asked.shown();
        asked.add(Asked.shown());
        asked.add(who);
        assertThat(asked.awaitAnswers(Duration.ofMillis(20))).isFalse();
        asked.withdraw(who);
        asked.take();
        asked.answered();
        assertThat(asked.awaitAnswers(Duration.ofMillis(20))).isTrue();
        // more answers than requests (the login history, a refused send) do not count ahead
        asked.answered();
        asked.add(Asked.shown());
        assertThat(asked.awaitAnswers(Duration.ofMillis(20))).isFalse();
    }

    @Test
    void aLostConnectionOwesNothingAndReleasesAWaitingCheck() throws Exception {
        CompletableFuture<ServerFrame> check = new CompletableFuture<>();
        asked.add(Asked.check(check));
        asked.add(Asked.shown());
        asked.forget();
        assertThat(check).isCompletedExceptionally();
        assertThat(asked.awaitAnswers(Duration.ZERO)).isTrue();
        assertThat(asked.take()).isNull();
    }
}
