package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TabNamesTest {
    private final TabNames names = new TabNames("alice");

    @Test
    void remembersTheOtherSideOfAMessageButNeverMeEveryoneOrTheServer() {
        names.remember(new ChatMessage(1, "bob", "alice", "hi", 1000));
        names.remember(new ChatMessage(2, "alice", "dave", "hi", 1000));
        names.remember(new ChatMessage(3, "carol", "*", "hi all", 1000));
        names.remember(new ChatMessage(4, "server", "*", "maintenance", 1000));
        assertThat(names.all()).containsExactly("bob", "carol", "dave");
    }

    @Test
    void takesTheUsersOnlineLessMeAndTheOnesSwitchedTo() {
        names.online(List.of("zoe", "alice", "bob"));
        names.add("carol");
        assertThat(names.all()).containsExactly("bob", "carol", "zoe");
    }
}
