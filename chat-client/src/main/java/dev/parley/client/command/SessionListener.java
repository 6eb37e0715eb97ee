package dev.parley.client.command;

import dev.parley.cli.DurationText;
import dev.parley.client.chat.AskedRequests;
import dev.parley.client.chat.ChatState;
import dev.parley.client.chat.TabNames;
import dev.parley.client.net.LinkEnd;
import dev.parley.client.net.LinkListener;
import dev.parley.client.ui.ErrorText;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * The link's listener thread in an interactive session: shows what the server sends, in order
 * and once, hands each answer to whatever awaits it (the pending messages, the requests asked,
 * the read positions), and tells the user how the connection fares. How the session ended, if
 * it did on its own, is kept for the exit code.
 */
final class SessionListener implements LinkListener {
    private final Target target;
    private final int history;
    private final ChatState state;
    private final SessionScreen screen;
    private final PendingSends pending;
    private final ReadPositions reads;
    private final TabNames names;
    private final AskedRequests asked;
    private final PromptStatus status;
    private final PacedSender pacer;
    private volatile boolean loginHistoryExpected = true;
    /** The login history is not the conversation asked for (its recipient is unknown): take it, show nothing. */
    private volatile boolean loginHistoryQuiet;
    private volatile LinkEnd end;

    SessionListener(Target target, int history, ChatState state, SessionScreen screen, PendingSends pending,
                    ReadPositions reads, TabNames names, AskedRequests asked, PromptStatus status, PacedSender pacer) {
        this.target = target;
        this.history = history;
        this.state = state;
        this.screen = screen;
        this.pending = pending;
        this.reads = reads;
        this.names = names;
        this.asked = asked;
        this.status = status;
        this.pacer = pacer;
    }

    /** The login history has not come yet: {@code /history} would page from an unknown point. */
    boolean loginHistoryExpected() {
        return loginHistoryExpected;
    }

    /** The login history is not the conversation asked for: it is taken, not shown. */
    void quietLoginHistory() {
        loginHistoryQuiet = true;
    }

    /** How the session ended on its own; null while it goes on or once the user closed it. */
    LinkEnd end() {
        return end;
    }

    @Override
    public void onFrame(ServerFrame frame) {
        if (frame instanceof ServerFrame.Msg msg) {
            ChatMessage m = msg.message();
            names.remember(m);
            switch (state.accept(m)) {
                case SHOW -> {
                    screen.message(m);
                    reads.shown(m);
                }
                case OWN -> {
                    // shown already, when its ack came
                }
                case OUT_OF_ORDER -> screen.error("the server sent message #" + m.id()
                        + " after #" + state.resumeAfter() + " (out of order or a repeat); not shown again");
            }
        } else if (frame instanceof ServerFrame.Ack ack) {
            ChatState.Acked mine = state.acked(ack.ref(), ack.id(), ack.ts());
            if (mine != null) {
                if (!mine.alreadyShown()) {
                    screen.message(mine.message());
                }
                status.refresh();
            } else {
                screen.error("the server acknowledged a message this client did not send (ref "
                        + ack.ref() + ", id " + ack.id() + ")");
            }
        } else if (frame instanceof ServerFrame.History h) {
            h.messages().forEach(names::remember);
            boolean login = loginHistoryExpected;
            if (login || !asked.answersCheck(h)) {
                showHistory(h);
            }
            if (!login) {
                asked.answered();
            }
        } else if (frame instanceof ServerFrame.Unread u) {
            asked.take();
            reads.showUnread(u);
            asked.answered();
        } else if (frame instanceof ServerFrame.Error e) {
            // an error without a ref answers a history or who request
            if (e.ref() == null && e.code() == ErrorCode.UNKNOWN_TYPE && asked.oldestIsUnread()) {
                // a server older than read positions: nothing to show
                asked.take();
                asked.answered();
            } else if (e.ref() != null && e.code().retryable()) {
                pending.retryLater(e);
            } else if (e.ref() != null || !asked.answersCheck(e)) {
                screen.error(ErrorText.describe(e, state.failed(e.ref())));
            }
            if (e.ref() == null) {
                asked.answered();
            }
        } else if (frame instanceof ServerFrame.WhoList who) {
            asked.take();
            TreeSet<String> users = new TreeSet<>(who.users());
            screen.notice(users.size() + " online: " + String.join(", ", users));
            names.online(users);
            asked.answered();
        } else if (frame instanceof ServerFrame.Bye) {
            screen.notice("the server is shutting down");
        } else if (frame instanceof ServerFrame.CaughtUp) {
            // what was missed is on the screen: pending messages follow it, and one the server stored
            // before the connection dropped was shown by the catch-up and gets its original ack
            pending.transmitPending();
        } else {
            screen.error("the server sent an unexpected '" + frame.type() + "' frame");
        }
    }

    private void showHistory(ServerFrame.History h) {
        String name = SessionScreen.conversationName(h.with());
        List<ChatMessage> messages = h.messages();
        if (loginHistoryExpected) {
            loginHistoryExpected = false;
            state.shownOnLogin(h.with(), messages);
            if (loginHistoryQuiet || history == 0) {
                return;
            }
            reads.shownOnLogin(h.with());
            screen.notice(messages.isEmpty() ? "no messages yet with " + name
                    : "last " + SessionScreen.count(messages.size(), "message") + " with " + name + ":");
        } else {
            state.shownPage(h.with(), messages);
            screen.notice(messages.isEmpty() ? "no earlier messages with " + name
                    : SessionScreen.count(messages.size(), "earlier message") + " with " + name + ":");
        }
        for (ChatMessage m : messages) {
            screen.message(m);
        }
        reads.shown(messages);
    }

    @Override
    public void onBadFrame(ProtocolException e) {
        screen.error("the server sent a frame this client cannot read (" + e.code() + "): " + e.getMessage());
    }

    @Override
    public void onConnectionLost(String reason, Duration retryIn) {
        asked.forget();
        screen.error("connection lost: " + reason + "; reconnecting in " + DurationText.format(retryIn));
        pending.disconnected();
    }

    @Override
    public void onRetryFailed(String reason, Duration retryIn) {
        screen.notice("still disconnected: " + reason + "; next try in " + DurationText.format(retryIn));
    }

    @Override
    public void onReconnected(ServerFrame.Welcome welcome) {
        pacer.rate(welcome.rateLimit());
        reads.welcome(welcome);
        screen.notice("reconnected to " + target.address() + " (node " + welcome.node()
                + "); catching up after message #" + state.resumeAfter());
        if (welcome.last() == null) {
            // a v1.0 server does not say when the catch-up ends: send at once
            pending.transmitPending();
        }
        // otherwise pending messages go out after the caught-up frame, so their acks show after
        // the messages they came after
    }

    @Override
    public void onEnded(LinkEnd ended) {
        if (ended.kind() == LinkEnd.Kind.CLOSED) {
            return;
        }
        end = ended;
        asked.forget();
        String why = ended.kind() == LinkEnd.Kind.REFUSED ? "login refused on reconnection: " + ended.reason()
                : "connection ended: " + ended.reason();
        screen.error(why);
        screen.screen().wakeUp();
    }
}
