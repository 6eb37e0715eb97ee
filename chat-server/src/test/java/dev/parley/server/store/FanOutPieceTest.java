package dev.parley.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ChatMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server packs each message of a fan-out entry; the dispatcher must read back exactly what went in. */
class FanOutPieceTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] piece(String from, String to, String text, String origin) {
        return ChatStore.fanOutPiece(utf8(from), utf8(to), utf8(text), utf8(origin));
    }

    /** A raw fan-out entry as XRANGE returns it, holding {@code pieces} from id {@code first} on. */
    private static List<Object> entry(long first, byte[]... pieces) {
        ByteArrayOutputStream msgs = new ByteArrayOutputStream();
        for (byte[] p : pieces) {
            msgs.writeBytes(p);
        }
        return List.of(utf8(first + "-0"), List.of(utf8("n"), utf8(Integer.toString(pieces.length)),
                utf8("ts"), utf8("1700000000000"), utf8("msgs"), msgs.toByteArray()));
    }

    @Test
    void eachPartIsItsByteLengthAColonAndItsBytes() {
        assertThat(new String(piece("ann", "bob", "hi:5", "n1/7"), StandardCharsets.UTF_8))
                .isEqualTo("3:ann3:bob4:hi:54:n1/7");
        // the length counts bytes, not characters
        assertThat(new String(piece("a", "b", "é", ""), StandardCharsets.UTF_8)).isEqualTo("1:a1:b2:é0:");
    }

    @Test
    void piecesReadBackUnchangedWhateverTheirLength() {
        String[] texts = {"", "x", "123456789", "1234567890", "9:x", "é".repeat(50), "a".repeat(99),
            "a".repeat(100), "\u0000\n\"\\", "🙂".repeat(3000)};
        byte[][] pieces = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            pieces[i] = piece("user-" + i, "*", texts[i], "node-a/" + i);
        }
        List<StoredMessage> read = ChatStore.fanOutMessages(entry(41, pieces));
        assertThat(read).hasSize(texts.length);
        for (int i = 0; i < texts.length; i++) {
            assertThat(read.get(i)).isEqualTo(new StoredMessage(
                    new ChatMessage(41 + i, "user-" + i, "*", texts[i], 1700000000000L), "node-a/" + i));
        }
    }

    @Test
    void anEntryHoldingLessThanItsCountIsRefused() {
        byte[] one = piece("ann", "bob", "hello", "n1/1");
        List<Object> raw = List.of(utf8("5-0"), List.of(utf8("n"), utf8("2"), utf8("ts"), utf8("1"), utf8("msgs"), one));
        assertThatThrownBy(() -> ChatStore.fanOutMessages(raw)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fan-out entry 5");
    }
}
