package dev.parley.client.command;

import dev.parley.cli.Backoff;
import dev.parley.cli.DurationText;
import dev.parley.client.chat.ChatState;
import dev.parley.client.net.ChatLink;
import dev.parley.client.net.LinkEnd;
import dev.parley.client.net.LinkListener;
import dev.parley.client.net.LoginRefusedException;
import dev.parley.client.ui.ErrorText;
import dev.parley.client.ui.MessageFormatter;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --listen}: prints incoming messages on standard output (formatted, or one JSON object
 * each with {@code --json}) until {@code --count} messages or {@code --timeout}. Reconnects and
 * resumes like the interactive client; everything that is not a message goes to standard error.
 */
final class ListenMode implements LinkListener {
    private final Target target;
    private final Integer count;
    private final Duration timeout;
    private final boolean json;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ChatState state;
    private final MessageFormatter format;
    private final ChatLink link;
    private final AtomicInteger shown = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean loginHistoryExpected = true;
    private volatile LinkEnd end;

    ListenMode(Target target, Integer count, Duration timeout, boolean json, boolean colour,
               ClientEnvironment environment, PrintWriter out, PrintWriter err) {
        this.target = target;
        this.count = count;
        this.timeout = timeout;
        this.json = json;
        this.out = out;
        this.err = err;
        this.state = new ChatState(target.user(), null);
        this.format = new MessageFormatter(target.user(), environment.zone(), environment.clock(), colour);
        this.link = new ChatLink(target.connector(), this::resumeHello, this,
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15)), InteractiveMode.HEARTBEAT);
    }

    int run() {
        try {
            // the welcome's newest id is where a reconnection resumes when nothing has arrived yet
            ServerFrame.Welcome welcome = link.open(new ClientFrame.Hello(target.user(), target.password(), null, 0, null))
                    .welcome();
            state.loggedIn(welcome.last());
            LoginFailure.noteRegistered(welcome, err);
        } catch (IOException | LoginRefusedException e) {
            return LoginFailure.report(e, err);
        }
        link.start();
        boolean finished;
        try {
            finished = timeout == null ? awaitForever() : done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        link.close();
        LinkEnd ended = end;
        if (ended != null) {
            return ExitCode.of(ended.kind());
        }
        if (!finished && count != null) {
            err.println("parley-chat: timed out after " + DurationText.format(timeout) + " with " + shown.get()
                    + " of " + count + " messages");
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }

    private boolean awaitForever() throws InterruptedException {
        done.await();
        return true;
    }

    private ClientFrame.Hello resumeHello() {
        return new ClientFrame.Hello(target.user(), target.password(), null, null, state.resumeAfter());
    }

    private boolean wanted(ChatMessage m) {
        return target.recipient() == null || target.recipient().equals(state.conversationOf(m));
    }

    private void print(ChatMessage m) {
        synchronized (out) {
            if (json) {
                byte[] line = FrameCodec.encode(new ServerFrame.Msg(m));
                out.print(new String(line, 0, line.length - 1, StandardCharsets.UTF_8));
                out.println();
            } else {
                out.println(format.message(m).toAnsi());
            }
            out.flush();
        }
    }

    private void note(String text) {
        synchronized (err) {
            err.println("parley-chat: " + text);
            err.flush();
        }
    }

    @Override
    public void onFrame(ServerFrame frame) {
        if (frame instanceof ServerFrame.Msg msg) {
            ChatMessage m = msg.message();
            ChatState.Verdict verdict = state.accept(m);
            if (verdict == ChatState.Verdict.OUT_OF_ORDER) {
                note("the server sent message #" + m.id() + " after #" + state.resumeAfter()
                        + " (out of order or a repeat); not printed again");
            } else if (verdict == ChatState.Verdict.SHOW && wanted(m) && done.getCount() > 0) {
                print(m);
                if (count != null && shown.incrementAndGet() >= count) {
                    done.countDown();
                }
            }
        } else if (frame instanceof ServerFrame.History h && loginHistoryExpected) {
            loginHistoryExpected = false;
            state.shownOnLogin(h.with(), h.messages());
        } else if (frame instanceof ServerFrame.Error e) {
            note(ErrorText.describe(e, null));
        } else if (frame instanceof ServerFrame.Bye) {
            note("the server is shutting down");
        } else if (!(frame instanceof ServerFrame.CaughtUp)) {
            note("the server sent an unexpected '" + frame.type() + "' frame");
        }
    }

    @Override
    public void onBadFrame(ProtocolException e) {
        note("the server sent a frame this client cannot read (" + e.code() + "): " + e.getMessage());
    }

    @Override
    public void onConnectionLost(String reason, Duration retryIn) {
        note("connection lost: " + reason + "; reconnecting in " + DurationText.format(retryIn));
    }

    @Override
    public void onRetryFailed(String reason, Duration retryIn) {
        note("still disconnected: " + reason + "; next try in " + DurationText.format(retryIn));
    }

    @Override
    public void onReconnected(ServerFrame.Welcome welcome) {
        note("reconnected to " + target.address() + " (node " + welcome.node() + "); catching up after message #"
                + state.resumeAfter());
    }

    @Override
    public void onEnded(LinkEnd ended) {
        if (ended.kind() != LinkEnd.Kind.CLOSED) {
            end = ended;
            note(ended.kind() == LinkEnd.Kind.REFUSED ? "login refused on reconnection: " + ended.reason()
                    : "connection ended: " + ended.reason());
            done.countDown();
        }
    }
}
