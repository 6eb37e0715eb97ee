package dev.parley.client.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.chat.ChatState;
import org.junit.jupiter.api.Test;

class PromptStatusTest {
    @Test
    void theNoteCountsAPasteStillToSendAndTheUnconfirmedMessages() {
        assertThat(PromptStatus.note(0, 0)).isNull();
        // one line waiting is the one being sent: nothing to look at
        assertThat(PromptStatus.note(1, 0)).isNull();
        assertThat(PromptStatus.note(12, 0)).isEqualTo("12 to send");
        assertThat(PromptStatus.note(0, 3)).isEqualTo("3 unconfirmed");
        assertThat(PromptStatus.note(12, 3)).isEqualTo("12 to send, 3 unconfirmed");
    }

    @Test
    void redrawsOnlyWhenTheNoteChangesAndNotBeforeTheScreenIsOpen() {
        ChatState state = new ChatState("alice", "bob");
        SessionScreen closed = new SessionScreen(null);
        new PromptStatus(closed, state).backlogChanged(5);

        RecordingScreen screen = new RecordingScreen();
        PromptStatus status = new PromptStatus(screen.open("alice"), state);
        status.backlogChanged(5);
        status.refresh();
        status.backlogChanged(5);
        status.backlogChanged(0);
        status.refresh();
        assertThat(screen.notes).containsExactly("5 to send", "null");
    }
}
