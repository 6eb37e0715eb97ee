package dev.parley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.TestConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the integration tests: unique names, logins, sends that wait for their ack, metrics. */
final class ItSupport {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String PASSWORD = "correct horse";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final AtomicInteger REFS = new AtomicInteger();

    private ItSupport() {
    }

    /** A user name no other test uses: {@code base} plus a counter, within the 32-character limit. */
    static String user(String base) {
        String suffix = "-" + NAMES.incrementAndGet();
        return base.substring(0, Math.min(base.length(), 32 - suffix.length())) + suffix;
    }

    static String ref() {
        return "ref-" + REFS.incrementAndGet();
    }

    /** Connects and logs in with {@code since} (a resume): the welcome is consumed, the msgs after it are not. */
    static TestConnection resume(ChatServerProcess server, String user, long since) {
        TestConnection c = server.connect();
        c.send(new ClientFrame.Hello(user, PASSWORD, null, null, since));
        c.expect(ServerFrame.Welcome.class);
        return c;
    }

    /** Connects and logs in with {@code history: 0}: the welcome and an empty history frame are consumed. */
    static TestConnection login(ChatServerProcess server, String user) {
        return login(server, user, null);
    }

    static TestConnection login(ChatServerProcess server, String user, String to) {
        TestConnection c = server.connect();
        c.send(new ClientFrame.Hello(user, PASSWORD, to, 0, null));
        ServerFrame.Welcome welcome = c.expect(ServerFrame.Welcome.class);
        assertThat(welcome.user()).isEqualTo(user);
        ServerFrame.History history = c.expect(ServerFrame.History.class);
        assertThat(history.messages()).isEmpty();
        return c;
    }

    /** Registers {@code user} and disconnects, leaving it offline. */
    static void register(ChatServerProcess server, String user) {
        try (TestConnection c = login(server, user)) {
            c.send(new ClientFrame.Bye());
            assertThat(c.awaitClosed(WAIT)).as("closed after bye").isTrue();
        }
    }

    /** Sends {@code n} messages back to back, then collects their acks; returns the ids in order. */
    static List<Long> sendMany(TestConnection c, String to, int n) {
        List<String> refs = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            String ref = ref();
            refs.add(ref);
            out.writeBytes(FrameCodec.encode(new ClientFrame.Send(to, "m-" + i, ref)));
        }
        c.sendRaw(out.toByteArray());
        List<Long> ids = new ArrayList<>();
        for (String ref : refs) {
            ids.add(awaitAck(c, ref).id());
        }
        assertStrictlyIncreasing(ids, "acks");
        return ids;
    }

    /** Sends and waits for the ack of this send; msg frames met on the way are skipped. */
    static ServerFrame.Ack sendAcked(TestConnection c, String to, String text) {
        String ref = ref();
        c.send(new ClientFrame.Send(to, text, ref));
        return awaitAck(c, ref);
    }

    static ServerFrame.Ack awaitAck(TestConnection c, String ref) {
        long end = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; i < 100_000 && System.nanoTime() < end; i++) {
            ServerFrame f = c.next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            if (f instanceof ServerFrame.Ack ack) {
                assertThat(ack.ref()).as("ack ref").isEqualTo(ref);
                assertThat(ack.id()).isPositive();
                return ack;
            }
            if (!(f instanceof ServerFrame.Msg)) {
                fail("waiting for the ack of " + ref + ", got " + (f == null ? "nothing / end of stream" : f));
            }
        }
        return fail("no ack for " + ref + " within " + WAIT);
    }

    /** The next frame, which must be an error with {@code code}. */
    static ServerFrame.Error expectError(TestConnection c, ErrorCode code) {
        ServerFrame.Error e = c.expect(ServerFrame.Error.class);
        assertThat(e.code()).as("error code of " + e).isEqualTo(code);
        return e;
    }

    /** Ping and the next frame must be the pong: the connection is open and nothing else was pending. */
    static void assertUsable(TestConnection c) {
        c.send(new ClientFrame.Ping());
        c.expect(ServerFrame.Pong.class);
        assertThat(c.isClosedByPeer()).isFalse();
    }

    /** The next frame, which must be a msg; returns its message. */
    static ChatMessage expectMsg(TestConnection c) {
        return c.expect(ServerFrame.Msg.class).message();
    }

    /**
     * Every frame up to and including the msg with id {@code markerId}: what a session received
     * before a later message. Since each session gets msgs in id order, anything sent before the
     * marker that should reach it is in this list, and anything absent never will arrive.
     */
    static List<ServerFrame> framesUntilMsg(TestConnection c, long markerId) {
        List<ServerFrame> seen = new ArrayList<>();
        long end = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; i < 100_000 && System.nanoTime() < end; i++) {
            ServerFrame f = c.next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            if (f == null) {
                break;
            }
            seen.add(f);
            if (f instanceof ServerFrame.Msg m && m.message().id() == markerId) {
                return seen;
            }
        }
        return fail("marker " + markerId + " never arrived; frames seen: " + seen);
    }

    /** The messages of the msg frames among {@code frames}, in order. */
    static List<ChatMessage> messages(List<ServerFrame> frames) {
        return frames.stream().filter(ServerFrame.Msg.class::isInstance).map(f -> ((ServerFrame.Msg) f).message())
                .toList();
    }

    static List<Long> msgIds(List<ServerFrame> frames) {
        List<Long> ids = new ArrayList<>();
        for (ServerFrame f : frames) {
            if (f instanceof ServerFrame.Msg m) {
                ids.add(m.message().id());
            }
        }
        return ids;
    }

    static List<Long> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    /** {@code c} receives exactly {@code expected} as msg frames, in strictly increasing id order. */
    static void assertReceivesExactly(TestConnection c, List<Long> expected, String what) {
        List<Long> got = c.awaitMsgIds(expected.size(), WAIT);
        assertStrictlyIncreasing(got, what);
        assertThat(got).as(what).isEqualTo(expected);
    }

    static void assertStrictlyIncreasing(List<Long> ids, String what) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) <= ids.get(i - 1)) {
                fail(what + ": id " + ids.get(i) + " at position " + i + " follows " + ids.get(i - 1) + " in " + ids);
            }
        }
    }

    /** {@code line} and a newline, as bytes to send raw. */
    static byte[] ascii(String line) {
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The value of one Prometheus sample, 0 when absent; {@code label} must appear in its labels if given. */
    static double metric(String body, String name, String label) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{([^}]*)\\})?\\s+(\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(body);
        double sum = 0;
        while (m.find()) {
            if (label == null || (m.group(2) != null && m.group(2).contains(label))) {
                sum += Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }
}
