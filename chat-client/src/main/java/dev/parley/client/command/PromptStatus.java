package dev.parley.client.command;

import dev.parley.client.chat.ChatState;
import dev.parley.client.ui.Screen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The prompt's note: lines of a paste still to send, as the {@link PacedSender} last said, and
 * messages the server has not answered for {@link #UNCONFIRMED_AFTER} (an answer normally takes
 * milliseconds, so these are worth a look); nothing when all is well. The screen is redrawn only
 * when the note changes.
 */
final class PromptStatus {
    /** How long a message may wait for the server's answer before the prompt counts it. */
    static final Duration UNCONFIRMED_AFTER = Duration.ofSeconds(1);

    private final SessionScreen screen;
    private final ChatState state;
    /** Lines of a paste still waiting to be sent, as the pacer last said. */
    private volatile int backlog;
    /** The note as last drawn; guarded by this. */
    private String shown;

    PromptStatus(SessionScreen screen, ChatState state) {
        this.screen = screen;
        this.state = state;
    }

    /** The count of lines waiting shows in the prompt while a paste drains. */
    void backlogChanged(int waiting) {
        backlog = waiting;
        refresh();
    }

    /** Draws the note again if it changed. */
    void refresh() {
        Screen s = screen.screen();
        if (s == null) {
            return;
        }
        String note = note(backlog, state.unconfirmedLongerThan(UNCONFIRMED_AFTER));
        synchronized (this) {
            if (Objects.equals(note, shown)) {
                return;
            }
            shown = note;
        }
        s.status(note);
    }

    /** The note for {@code backlog} lines to send and {@code unconfirmed} messages; null for none. */
    static String note(int backlog, int unconfirmed) {
        List<String> parts = new ArrayList<>(2);
        if (backlog > 1) {
            parts.add(backlog + " to send");
        }
        if (unconfirmed > 0) {
            parts.add(unconfirmed + " unconfirmed");
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
