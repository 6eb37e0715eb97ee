package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {

    private static ClientFrame decode(String line) throws ProtocolException {
        return FrameCodec.decodeClientFrame(line.getBytes(StandardCharsets.UTF_8));
    }

    private static ErrorCode codeOf(String line) {
        try {
            decode(line);
            throw new AssertionError("accepted " + line);
        } catch (ProtocolException e) {
            return e.code();
        }
    }

    @Test
    void decodesHelloWithEveryField() throws Exception {
        ClientFrame frame = decode("{\"type\":\"hello\",\"user\":\"alice\",\"password\":\"pw\",\"to\":\"bob\",\"history\":10,\"since\":42}");
        assertThat(frame).isEqualTo(new ClientFrame.Hello("alice", "pw", "bob", 10, 42L));
    }

    @Test
    void decodesSendWithDefaults() throws Exception {
        assertThat(decode("{\"type\":\"send\",\"text\":\"hi\"}")).isEqualTo(new ClientFrame.Send(null, "hi", null));
        assertThat(decode("{\"type\":\"send\",\"to\":\"*\",\"text\":\"hi\",\"ref\":\"r1\",\"extra\":true}"))
                .isEqualTo(new ClientFrame.Send("*", "hi", "r1"));
        assertThat(decode("{\"type\":\"send\",\"text\":\"hi\",\"id\":\"k3Xq-7:1\"}"))
                .isEqualTo(new ClientFrame.Send(null, "hi", null, "k3Xq-7:1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a/b", "{x}", "\u00e9"})
    void refusesASendIdOutsideItsCharset(String id) {
        assertThat(codeOf("{\"type\":\"send\",\"text\":\"x\",\"id\":\"" + id + "\"}")).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void refusesASendIdOverItsLength() {
        assertThat(codeOf("{\"type\":\"send\",\"text\":\"x\",\"id\":\"" + "a".repeat(65) + "\"}"))
                .isEqualTo(ErrorCode.INVALID);
        assertThat(codeOf("{\"type\":\"send\",\"text\":\"x\",\"id\":7}")).isEqualTo(ErrorCode.BAD_FRAME);
    }

    @Test
    void decodesTheSmallFrames() throws Exception {
        assertThat(decode("{\"type\":\"who\"}")).isInstanceOf(ClientFrame.Who.class);
        assertThat(decode("{\"type\":\"ping\"}")).isInstanceOf(ClientFrame.Ping.class);
        assertThat(decode("{\"type\":\"bye\"}")).isInstanceOf(ClientFrame.Bye.class);
        assertThat(decode("{\"type\":\"history\",\"with\":\"*\",\"before\":9,\"limit\":3}"))
                .isEqualTo(new ClientFrame.HistoryRequest("*", 9L, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "\"text\"", "42", "{\"type\":\"ping\"} trailing",
        "{\"user\":\"a\"}", "{\"type\":7}", "{\"type\":\"send\"}", "{\"type\":\"send\",\"text\":5}",
        "{\"type\":\"send\",\"text\":\"x\",\"ref\":3}", "{\"type\":\"hello\",\"user\":\"a\"}",
        "{\"type\":\"hello\",\"user\":\"a\",\"password\":\"p\",\"history\":1.5}",
        "{\"type\":\"history\"}", "{\"type\":\"ping\",\"type\":\"who\"}"})
    void rejectsMalformedFramesAsBadFrame(String line) {
        assertThat(codeOf(line)).isEqualTo(ErrorCode.BAD_FRAME);
    }

    @Test
    void rejectsInvalidUtf8AsBadFrame() {
        byte[] overlong = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};
        byte[] truncated = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'};
        for (byte[] line : List.of(overlong, truncated)) {
            assertThatThrownBy(() -> FrameCodec.decodeClientFrame(line))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
                        assertThat(e.getMessage()).contains("UTF-8");
                    });
        }
    }

    @Test
    void unknownTypeIsItsOwnError() {
        assertThat(codeOf("{\"type\":\"dance\"}")).isEqualTo(ErrorCode.UNKNOWN_TYPE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"hello\",\"user\":\"server\",\"password\":\"p\"}",
        "{\"type\":\"hello\",\"user\":\"has space\",\"password\":\"p\"}",
        "{\"type\":\"hello\",\"user\":\"abcdefghijklmnopqrstuvwxyz0123456\",\"password\":\"p\"}",
        "{\"type\":\"hello\",\"user\":\"a\",\"password\":\"\"}",
        "{\"type\":\"hello\",\"user\":\"a\",\"password\":\"p\",\"history\":1001}",
        "{\"type\":\"hello\",\"user\":\"a\",\"password\":\"p\",\"since\":-1}",
        "{\"type\":\"send\",\"text\":\"\"}",
        "{\"type\":\"send\",\"to\":\"no way\",\"text\":\"x\"}",
        "{\"type\":\"history\",\"with\":\"*\",\"limit\":0}",
        "{\"type\":\"history\",\"with\":\"*\",\"before\":0}"})
    void rejectsOutOfRangeValuesAsInvalid(String line) {
        assertThat(codeOf(line)).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void textLimitCountsCharactersNotBytes() throws Exception {
        String emoji = "\uD83D\uDE00".repeat(Protocol.MAX_TEXT_CHARS);
        assertThat(decode("{\"type\":\"send\",\"text\":\"" + emoji + "\"}")).isInstanceOf(ClientFrame.Send.class);
        assertThat(codeOf("{\"type\":\"send\",\"text\":\"" + "x".repeat(Protocol.MAX_TEXT_CHARS + 1) + "\"}"))
                .isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void invalidSendKeepsItsRefForTheErrorFrame() {
        assertThatThrownBy(() -> decode("{\"type\":\"send\",\"text\":\"\",\"ref\":\"r7\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.toFrame().ref()).isEqualTo("r7"));
    }

    @Test
    void serverFramesSurviveARoundTrip() throws Exception {
        ChatMessage m = new ChatMessage(7, "alice", "*", "h\u00e9llo \"quoted\"\n", 1234);
        List<ServerFrame> frames = List.of(
                new ServerFrame.Welcome("alice", "node-1"),
                new ServerFrame.History("bob", List.of(m, new ChatMessage(8, "bob", "alice", "x", 5))),
                new ServerFrame.Msg(m),
                new ServerFrame.Ack("r1", 7, 1234),
                new ServerFrame.Ack(null, 8, 1235),
                new ServerFrame.WhoList(List.of("alice", "bob")),
                new ServerFrame.Pong(),
                new ServerFrame.Bye(),
                new ServerFrame.Error(ErrorCode.RATE_LIMITED, "slow down", "r2"),
                new ServerFrame.Error(ErrorCode.UNAVAILABLE, "store lost mid-write", "r3", true),
                new ServerFrame.Welcome("alice", "node-1", 9L, "tok", 50, true),
                new ServerFrame.Error(ErrorCode.RATE_LIMITED, "slow down", "r4", false, 120L));
        for (ServerFrame frame : frames) {
            byte[] line = FrameCodec.encode(frame);
            assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
            for (int i = 0; i < line.length - 1; i++) {
                assertThat(line[i]).as("a newline inside the frame").isNotEqualTo((byte) '\n');
            }
            byte[] body = java.util.Arrays.copyOf(line, line.length - 1);
            assertThat(FrameCodec.decodeServerFrame(body)).isEqualTo(frame);
        }
    }

    @Test
    void maybeStoredIsWrittenOnlyWhenTrueAndReadAsFalseWhenAbsent() throws Exception {
        assertThat(new String(FrameCodec.encode(new ServerFrame.Error(ErrorCode.UNAVAILABLE, "x", "r")), UTF_8))
                .doesNotContain("maybeStored");
        assertThat(new String(FrameCodec.encode(new ServerFrame.Error(ErrorCode.UNAVAILABLE, "x", "r", true)), UTF_8))
                .contains("\"maybeStored\":true");
        ServerFrame.Error old = (ServerFrame.Error) FrameCodec.decodeServerFrame(
                "{\"type\":\"error\",\"code\":\"UNAVAILABLE\",\"message\":\"x\"}".getBytes(UTF_8));
        assertThat(old.maybeStored()).isFalse();
        assertThatThrownBy(() -> FrameCodec.decodeServerFrame(
                "{\"type\":\"error\",\"code\":\"UNAVAILABLE\",\"message\":\"x\",\"maybeStored\":\"yes\"}".getBytes(UTF_8)))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void theV11AdditionsAreWrittenOnlyWhenTheyCarrySomething() throws Exception {
        assertThat(new String(FrameCodec.encode(new ServerFrame.Welcome("a", "n", 1L, null)), UTF_8))
                .doesNotContain("rateLimit").doesNotContain("registered");
        assertThat(new String(FrameCodec.encode(new ClientFrame.Hello("a", "p", null, null, null)), UTF_8))
                .doesNotContain("register");
        assertThat(new String(FrameCodec.encode(new ClientFrame.Hello("a", "p", null, null, null).withoutRegistering()),
                UTF_8)).contains("\"register\":false");
        assertThat(((ClientFrame.Hello) decode("{\"type\":\"hello\",\"user\":\"a\",\"password\":\"p\"}")).register())
                .isTrue();
        assertThat(codeOf("{\"type\":\"hello\",\"user\":\"a\",\"password\":\"p\",\"register\":\"no\"}"))
                .isEqualTo(ErrorCode.BAD_FRAME);
    }

    @Test
    void clientFramesSurviveARoundTrip() throws Exception {
        List<ClientFrame> frames = List.of(
                new ClientFrame.Hello("alice", "pw", null, null, null),
                new ClientFrame.Hello("alice", "pw", "bob", 5, 10L),
                new ClientFrame.Hello("alice", "pw", null, null, null, "1.1").withoutRegistering(),
                new ClientFrame.Send("*", "x", "r"),
                new ClientFrame.Send(null, "y", null),
                new ClientFrame.Send("bob", "z", "r2", "m-1"),
                new ClientFrame.HistoryRequest("bob", 4L, 2),
                new ClientFrame.Who(), new ClientFrame.Ping(), new ClientFrame.Bye());
        for (ClientFrame frame : frames) {
            byte[] line = FrameCodec.encode(frame);
            assertThat(FrameCodec.decodeClientFrame(java.util.Arrays.copyOf(line, line.length - 1))).isEqualTo(frame);
        }
    }

    @Test
    void msgFrameHasTheDocumentedShape() {
        String line = new String(FrameCodec.encode(new ServerFrame.Msg(new ChatMessage(3, "a", "b", "t", 9))),
                StandardCharsets.UTF_8);
        assertThat(line).isEqualTo("{\"type\":\"msg\",\"id\":3,\"from\":\"a\",\"to\":\"b\",\"text\":\"t\",\"ts\":9}\n");
    }

    @Test
    void unreadAndReadRoundTripAndReadIsChecked() throws Exception {
        ServerFrame unread = new ServerFrame.Unread(List.of(new ServerFrame.Unread.Conversation("bob", 7, 40,
                List.of(new ChatMessage(41, "bob", "alice", "hi", 9)))));
        byte[] line = FrameCodec.encode(unread);
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"unread\",\"conversations\":"
                + "[{\"with\":\"bob\",\"count\":7,\"read\":40,\"messages\":[{\"id\":41,\"from\":\"bob\","
                + "\"to\":\"alice\",\"text\":\"hi\",\"ts\":9}]}]}\n");
        assertThat(FrameCodec.decodeServerFrame(java.util.Arrays.copyOf(line, line.length - 1))).isEqualTo(unread);
        assertThat(decode("{\"type\":\"unread\"}")).isEqualTo(new ClientFrame.UnreadRequest());
        assertThat(decode("{\"type\":\"read\",\"with\":\"*\",\"id\":42}")).isEqualTo(new ClientFrame.Read("*", 42));
        assertThat(codeOf("{\"type\":\"read\",\"with\":\"*\",\"id\":0}")).isEqualTo(ErrorCode.INVALID);
        assertThat(codeOf("{\"type\":\"read\",\"with\":\"a b\",\"id\":3}")).isEqualTo(ErrorCode.INVALID);
        assertThat(codeOf("{\"type\":\"read\",\"id\":3}")).isEqualTo(ErrorCode.BAD_FRAME);
    }
}
