package dev.parley.client.command;

import static dev.parley.client.command.SessionScreen.count;

import dev.parley.client.chat.ChatState;
import dev.parley.client.chat.Outgoing;
import dev.parley.client.ui.ErrorText;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The typed messages on their way to the server: each carries an id and stays pending in the
 * {@link ChatState} until acknowledged or refused for good. A passing refusal sends it again
 * after a pause, a lost connection after the catch-up of the next one, always with the same id,
 * which the server stores at most once.
 */
final class PendingSends {
    private final ChatState state;
    /** Sends a frame on the current connection; false when there is none. */
    private final Predicate<ClientFrame> link;
    private final SessionScreen screen;
    /** Runs the retries; refuses them once the session ends. */
    private final ScheduledExecutorService retries;

    PendingSends(ChatState state, Predicate<ClientFrame> link, SessionScreen screen, ScheduledExecutorService retries) {
        this.state = state;
        this.link = link;
        this.screen = screen;
        this.retries = retries;
    }

    /** A new message: pending from now on, and sent at once if connected. */
    void send(String to, String text) {
        Outgoing outgoing = state.outgoing(to, text);
        if (outgoing == null) {
            screen.error("not sent to " + SessionScreen.conversationName(to) + " (" + ChatState.MAX_PENDING
                    + " messages are still waiting for the server; wait for them first)");
            return;
        }
        if (!transmit(outgoing)) {
            screen.notice("not connected; it will be sent when the connection is back");
        }
    }

    /**
     * One attempt at a pending message, tagged with its id as ref too; false when there is no
     * connection (it waits for the next one). Nothing is sent while an attempt awaits its answer.
     */
    private boolean transmit(Outgoing o) {
        if (!state.attempt(o.id())) {
            return true;
        }
        if (!link.test(new ClientFrame.Send(o.to(), o.text(), o.id(), o.id()))) {
            state.notSent(o.id());
            return false;
        }
        return true;
    }

    /** Sends every pending message that no attempt is waiting for: after a catch-up, oldest first. */
    void transmitPending() {
        for (Outgoing o : state.unacknowledged()) {
            transmit(o);
        }
    }

    /** A send refused for a passing reason stays pending, said once, and goes again after a pause. */
    void retryLater(ServerFrame.Error e) {
        ChatState.Retry retry = state.refusedForNow(e.ref());
        if (retry == null) {
            screen.error(ErrorText.describe(e, null));
            return;
        }
        if (retry.first()) {
            screen.notice(ErrorText.pending(e, retry.message()));
        }
        try {
            // the server says when a rate-limited connection may send again
            long delay = Math.max(retry.delay().toMillis(), e.retryAfterMs() == null ? 0 : e.retryAfterMs());
            retries.schedule(() -> transmit(retry.message()), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ex) {
            // the session is ending; leaving reports what was never confirmed
        }
    }

    /** The connection dropped: the attempts in flight wait for the next one, and the user is told. */
    void disconnected() {
        List<Outgoing> unconfirmed = state.disconnected();
        if (!unconfirmed.isEmpty()) {
            screen.notice(count(unconfirmed.size(), "message") + " pending; "
                    + (unconfirmed.size() == 1 ? "it goes" : "they go") + " again once reconnected, and the server"
                    + " stores each one once");
        }
    }

    /** On leaving: says what the server never confirmed. */
    void reportUnconfirmed() {
        List<Outgoing> unsent = state.unacknowledged();
        if (!unsent.isEmpty()) {
            screen.error("leaving with " + count(unsent.size(), "message") + " the server has not"
                    + " confirmed; " + (unsent.size() == 1 ? "it" : "they") + " may not have been sent");
        }
    }
}
