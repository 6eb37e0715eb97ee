package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.ascii;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.awaitAck;
import static dev.parley.server.it.ItSupport.expectError;
import static dev.parley.server.it.ItSupport.framesUntilMsg;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.msgIds;
import static dev.parley.server.it.ItSupport.ref;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol v1 errors: malformed, unknown, invalid and oversized frames are answered with the right
 * code, and neither close the connection nor disturb others.
 *
 * <p>One server and one redis-server serve every test of the class: each test uses user names of
 * its own, and tests run one after another, so broadcasts from one test never reach another's
 * sessions.
 */
class FrameErrorsIT {
    private static final int MAX_FRAME = 20_000;

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(FrameErrorsIT.class).servers("errors-it")
            .arg("--rate-limit", "0", "--max-frame-bytes", Integer.toString(MAX_FRAME)).build();
    private static final ChatServerProcess server = cluster.server();

    @Test
    void malformedFramesAreAnsweredAndNeitherCloseTheConnectionNorDisturbOthers() {
        String bad = user("bad");
        String watcher = user("watch");
        try (TestConnection w = login(server, watcher);
             TestConnection c = login(server, bad)) {
            Map<byte[], ErrorCode> cases = new LinkedHashMap<>();
            cases.put(ascii("hello"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"ping\"} {}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("[1,2]"), ErrorCode.BAD_FRAME);
            cases.put(ascii("\"send\""), ErrorCode.BAD_FRAME);
            cases.put(ascii("42"), ErrorCode.BAD_FRAME);
            cases.put(ascii("null"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":7}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"send\"}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"send\",\"text\":5}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"x\",\"to\":[\"a\"]}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"history\"}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"history\",\"with\":\"*\",\"limit\":\"ten\"}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"history\",\"with\":\"*\",\"before\":1.5}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"hello\",\"user\":\"x\"}"), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0xC3, 0x28), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0xC0, 0xAF), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0x80), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0xED, 0xA0, 0x80), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0xF8, 0x88, 0x80, 0x80, 0x80), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"dance\"}"), ErrorCode.UNKNOWN_TYPE);
            cases.put(ascii("{\"type\":\"\"}"), ErrorCode.UNKNOWN_TYPE);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"\",\"ref\":\"empty\"}"), ErrorCode.INVALID);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"" + "x".repeat(4001) + "\"}"), ErrorCode.INVALID);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"x\",\"to\":\"not a name\"}"), ErrorCode.INVALID);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"x\",\"ref\":\"" + "r".repeat(129) + "\"}"), ErrorCode.INVALID);
            cases.put(ascii("{\"type\":\"history\",\"with\":\"*\",\"limit\":1001}"), ErrorCode.INVALID);
            for (Map.Entry<byte[], ErrorCode> e : cases.entrySet()) {
                c.sendRaw(e.getKey());
                ServerFrame f = c.next(WAIT);
                assertThat(f).as("answer to " + new String(e.getKey(), StandardCharsets.UTF_8).strip())
                        .isInstanceOf(ServerFrame.Error.class);
                assertThat(((ServerFrame.Error) f).code())
                        .as("code for " + new String(e.getKey(), StandardCharsets.UTF_8).strip())
                        .isEqualTo(e.getValue());
                assertUsable(c);
            }
            // the ref of a readable frame comes back with its error
            c.sendRaw(ascii("{\"type\":\"send\",\"text\":\"\",\"ref\":\"r-empty\"}"));
            assertThat(expectError(c, ErrorCode.INVALID).ref()).isEqualTo("r-empty");
            // nothing was stored, nothing reached the watcher, and both still work
            ServerFrame.Ack ack = sendAcked(c, "*", "after the storm");
            List<ServerFrame> watcherSaw = framesUntilMsg(w, ack.id());
            assertThat(watcherSaw).hasSize(1);
            assertUsable(w);
        }
    }

    @Test
    void textLengthCountsCharactersNotBytes() {
        String alice = user("len");
        String emoji = "\uD83D\uDE00"; // one character, four bytes in UTF-8
        try (TestConnection a = login(server, alice)) {
            // written as raw UTF-8 (16 kB), not as JSON escapes, to stay under the frame limit
            a.sendRaw(ascii("{\"type\":\"send\",\"to\":\"" + alice + "\",\"text\":\"" + emoji.repeat(4000)
                    + "\",\"ref\":\"emoji\"}"));
            ServerFrame.Ack ok = awaitAck(a, "emoji");
            a.send(new ClientFrame.HistoryRequest(alice, null, 1));
            ChatMessage stored = a.expect(ServerFrame.History.class).messages().get(0);
            assertThat(stored.id()).isEqualTo(ok.id());
            assertThat(stored.text()).isEqualTo(emoji.repeat(4000));
            a.sendRaw(ascii("{\"type\":\"send\",\"to\":\"" + alice + "\",\"text\":\"" + emoji.repeat(4001)
                    + "\",\"ref\":\"too-long\"}"));
            assertThat(expectError(a, ErrorCode.INVALID).ref()).isEqualTo("too-long");
            sendAcked(a, alice, "x".repeat(4000));
            assertUsable(a);
        }
    }

    @Test
    void linesOverTheFrameLimitAreTooLargeAndTheConnectionStaysUsable() {
        String alice = user("big");
        String watcher = user("big-w");
        try (TestConnection w = login(server, watcher);
             TestConnection a = login(server, alice)) {
            // exactly at the limit is fine, one byte more is not
            a.sendRaw(padded("{\"type\":\"ping\",\"pad\":\"", MAX_FRAME, "\"}\n"));
            a.expect(ServerFrame.Pong.class);
            a.sendRaw(padded("{\"type\":\"ping\",\"pad\":\"", MAX_FRAME + 1, "\"}\n"));
            expectError(a, ErrorCode.TOO_LARGE);
            assertUsable(a);
            // a line of a megabyte, written in pieces: one TOO_LARGE, the rest of the line is skipped
            byte[] chunk = "y".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            a.sendRaw("{\"type\":\"send\",\"to\":\"*\",\"text\":\"".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 16; i++) {
                a.sendRaw(chunk);
            }
            a.sendRaw("\"}\n".getBytes(StandardCharsets.US_ASCII));
            expectError(a, ErrorCode.TOO_LARGE);
            assertUsable(a);
            ServerFrame.Ack ack = sendAcked(a, "*", "small again");
            assertThat(msgIds(framesUntilMsg(w, ack.id()))).containsExactly(ack.id());
            assertUsable(w);
        }
    }

    /** A send frame whose text holds the given raw bytes, which are not valid UTF-8. */
    private static byte[] utf8Broken(int... bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"type\":\"send\",\"to\":\"*\",\"text\":\"a".getBytes(StandardCharsets.US_ASCII));
        for (int b : bytes) {
            out.write(b);
        }
        out.writeBytes("\"}\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** {@code prefix + x... + suffix} where everything but the final newline is exactly {@code length} bytes. */
    private static byte[] padded(String prefix, int length, String suffix) {
        int pad = length - prefix.length() - (suffix.length() - 1);
        return (prefix + "x".repeat(pad) + suffix).getBytes(StandardCharsets.US_ASCII);
    }
}
