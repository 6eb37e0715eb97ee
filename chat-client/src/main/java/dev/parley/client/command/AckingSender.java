package dev.parley.client.command;

import dev.parley.cli.Backoff;
import dev.parley.client.chat.SendIds;
import dev.parley.client.net.ChatLink;
import dev.parley.client.net.LinkEnd;
import dev.parley.client.net.LinkListener;
import dev.parley.client.net.LoginRefusedException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends messages one at a time and waits for each one's ack, for {@code --send} and piped lines.
 * A message the server dropped for a passing reason (RATE_LIMITED, UNAVAILABLE, even one that
 * may have been stored) is sent again with the same id after a pause until the timeout, which the
 * server stores at most once; any other refusal is final. The link does not reconnect: a message
 * whose ack is lost with the connection may or may not be stored, and only the caller can decide.
 */
final class AckingSender implements LinkListener, AutoCloseable {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(2);

    /** What became of one message. */
    sealed interface Result {
    }

    record Acked(long id) implements Result {
    }

    record Refused(ServerFrame.Error error) implements Result {
    }

    record Lost(String reason) implements Result {
    }

    record TimedOut(Duration after) implements Result {
    }

    private final Target target;
    private final ChatLink link;
    private final PrintWriter err;
    /** Acks, errors and the end of the link, as the listener thread sees them. */
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final SendIds ids = new SendIds();
    private long refCounter;

    AckingSender(Target target, PrintWriter err) {
        this.err = err;
        this.link = new ChatLink(target.connector(), () -> {
            throw new IllegalStateException("this link does not reconnect");
        }, this, null, InteractiveMode.HEARTBEAT);
        this.target = target;
    }

    /** Logs in without history and starts listening. */
    void open() throws IOException, LoginRefusedException {
        LoginFailure.noteRegistered(link.open(new ClientFrame.Hello(target.user(), target.password(), null, 0, null))
                .welcome(), err);
        link.start();
    }

    /** Sends {@code text} to {@code to} (a user or {@code *}) and waits up to {@code timeout} for the outcome. */
    Result send(String to, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Backoff pauses = new Backoff(FIRST_PAUSE, MAX_PAUSE);
        String id = ids.next();
        while (true) {
            String ref = Long.toString(++refCounter);
            if (!link.send(new ClientFrame.Send(to, text, ref, id))) {
                return lostOr("the connection is closed");
            }
            Result result = await(ref, deadline, timeout);
            if (!(result instanceof Refused refused) || !refused.error().code().retryable()) {
                return result;
            }
            Duration pause = pauses.next();
            if (deadline - System.nanoTime() <= pause.toNanos()) {
                return result;
            }
            sleep(pause);
        }
    }

    private Result await(String ref, long deadline, Duration timeout) {
        while (true) {
            Object event;
            try {
                event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new TimedOut(timeout);
            }
            if (event == null) {
                return new TimedOut(timeout);
            }
            if (event instanceof LinkEnd end) {
                events.offer(end);
                return new Lost(end.reason());
            }
            if (event instanceof ServerFrame.Ack ack && ref.equals(ack.ref())) {
                return new Acked(ack.id());
            }
            // one message is in flight at a time, so an error without a ref can only be about it
            if (event instanceof ServerFrame.Error error && (error.ref() == null || ref.equals(error.ref()))) {
                return new Refused(error);
            }
            // an ack or error for an earlier attempt that already timed out: not this message's outcome
        }
    }

    private Result lostOr(String fallback) {
        Object end = events.peek();
        return new Lost(end instanceof LinkEnd e ? e.reason() : fallback);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        link.close();
    }

    @Override
    public void onFrame(ServerFrame frame) {
        if (frame instanceof ServerFrame.Ack || frame instanceof ServerFrame.Error) {
            events.offer(frame);
        } else if (frame instanceof ServerFrame.Bye) {
            note("the server is shutting down");
        }
        // messages from others, and the empty login history, are not this mode's business
    }

    @Override
    public void onBadFrame(ProtocolException e) {
        note("the server sent a frame this client cannot read (" + e.code() + "): " + e.getMessage());
    }

    @Override
    public void onConnectionLost(String reason, Duration retryIn) {
        throw new IllegalStateException("this link does not reconnect");
    }

    @Override
    public void onRetryFailed(String reason, Duration retryIn) {
        throw new IllegalStateException("this link does not reconnect");
    }

    @Override
    public void onReconnected(ServerFrame.Welcome welcome) {
        throw new IllegalStateException("this link does not reconnect");
    }

    @Override
    public void onEnded(LinkEnd end) {
        events.offer(end);
    }

    private void note(String text) {
        synchronized (err) {
            err.println("parley-chat: " + text);
            err.flush();
        }
    }
}
