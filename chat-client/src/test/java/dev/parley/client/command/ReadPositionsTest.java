package dev.parley.client.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.chat.TabNames;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ReadPositionsTest {
    private static final long TS = Instant.parse("2026-11-28T14:03:07Z").toEpochMilli();

    private final RecordingScreen screen = new RecordingScreen();
    private final TabNames names = new TabNames("alice");
    private final List<ClientFrame> sent = new CopyOnWriteArrayList<>();
    private volatile boolean connected = true;
    private final ReadPositions reads = new ReadPositions("alice", screen.open("alice"), names, frame -> {
        if (connected) {
            sent.add(frame);
        }
        return connected;
    });

    @Test
    void showsALinePerConversationAndTheNewestDirectMessagesUnderIt() {
        reads.shownOnLogin("carol");
        reads.showUnread(new ServerFrame.Unread(List.of(
                new ServerFrame.Unread.Conversation("*", 1000, 0, List.of()),
                new ServerFrame.Unread.Conversation("carol", 2, 0, List.of()),
                new ServerFrame.Unread.Conversation("bob", 5, 0, List.of(msg(8, "bob"), msg(9, "bob"))))));
        assertThat(screen.lines).containsExactly(
                "-- 1000+ unread with everyone since you last read",
                "-- 2 unread from carol, in the messages above",
                "-- 5 unread from bob:",
                "-- and 3 earlier: /to bob then /history",
                "[14:03:07] bob -> you: text 8",
                "[14:03:07] bob -> you: text 9");
        assertThat(names.all()).containsExactly("bob");
    }

    @Test
    void tellsTheServerWhatWasShownOncePerConversationOnlyIfItKeepsReadPositions() {
        reads.welcome(new ServerFrame.Welcome("alice", "n1", null, null));
        reads.shown(msg(3, "bob"));
        reads.flush();
        assertThat(reads.kept()).isFalse();
        assertThat(sent).isEmpty();

        reads.welcome(new ServerFrame.Welcome("alice", "n1", 9L, null));
        reads.shown(List.of(msg(4, "bob"), msg(6, "bob"), new ChatMessage(5, "carol", "*", "hi", TS)));
        connected = false;
        reads.flush();
        assertThat(sent).isEmpty();
        connected = true;
        reads.flush();
        assertThat(sent).containsExactlyInAnyOrder(new ClientFrame.Read("bob", 6), new ClientFrame.Read("*", 5));
        reads.flush();
        assertThat(sent).hasSize(2);
    }

    private static ChatMessage msg(long id, String from) {
        return new ChatMessage(id, from, "alice", "text " + id, TS);
    }
}
