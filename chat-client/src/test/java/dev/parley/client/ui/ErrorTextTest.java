package dev.parley.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.chat.Outgoing;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import org.junit.jupiter.api.Test;

class ErrorTextTest {
    @Test
    void noSuchUserNamesTheUser() {
        ServerFrame.Error e = new ServerFrame.Error(ErrorCode.NO_SUCH_USER, "unknown recipient", "1");
        assertThat(ErrorText.describe(e, new Outgoing("1", "bob", "hello")))
                .isEqualTo("not sent to bob (no such user: bob): \"hello\"");
        assertThat(ErrorText.describe(e, null)).isEqualTo("unknown recipient");
    }

    @Test
    void everyCodeReadsAsWords() {
        for (ErrorCode code : ErrorCode.values()) {
            String text = ErrorText.describe(new ServerFrame.Error(code, "detail", null), null);
            assertThat(text).doesNotContain(code.name()).isNotBlank();
        }
        assertThat(ErrorText.describe(new ServerFrame.Error(ErrorCode.RATE_LIMITED, "", "2"), new Outgoing("2", "*", "spam")))
                .isEqualTo("not sent to everyone (you are sending too fast; wait a moment): \"spam\"");
        assertThat(ErrorText.describe(new ServerFrame.Error(ErrorCode.INVALID, "text must be 1 to 4000 characters", null), null))
                .isEqualTo("the server refused it: text must be 1 to 4000 characters");
    }

    @Test
    void aSendThatMayHaveBeenStoredIsNotCalledUnsent() {
        ServerFrame.Error maybe = new ServerFrame.Error(ErrorCode.UNAVAILABLE, "store lost mid-write", "3", true);
        assertThat(ErrorText.describe(maybe, new Outgoing("3", "bob", "hi")))
                .startsWith("perhaps not sent to bob").contains("may have arrived").endsWith("\"hi\"")
                .doesNotStartWith("not sent");
    }

    @Test
    void aPassingRefusalReadsAsPendingNeverAsNotSent() {
        Outgoing hi = new Outgoing("k.1", "bob", "hi");
        assertThat(ErrorText.pending(new ServerFrame.Error(ErrorCode.UNAVAILABLE, "message store unreachable; not stored",
                "k.1"), hi))
                .isEqualTo("pending to bob (the server cannot store messages right now; retrying until it can): \"hi\"");
        assertThat(ErrorText.pending(new ServerFrame.Error(ErrorCode.UNAVAILABLE, "cut short", "k.1", true), hi))
                .startsWith("pending to bob (the server lost its message store while storing it; retrying with the same id");
        assertThat(ErrorText.pending(new ServerFrame.Error(ErrorCode.RATE_LIMITED, "", "k.1"), new Outgoing("k.1", "*", "x")))
                .isEqualTo("pending to everyone (sending too fast; retrying in a moment): \"x\"");
    }

    @Test
    void longTextIsShortened() {
        String text = "x".repeat(100);
        assertThat(ErrorText.describe(new ServerFrame.Error(ErrorCode.UNAVAILABLE, "", "1"), new Outgoing("1", "bob", text)))
                .endsWith("\"" + "x".repeat(57) + "...\"");
    }
}
