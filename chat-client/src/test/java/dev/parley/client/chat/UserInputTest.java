package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserInputTest {
    @Test
    void plainLinesAreTextKeptAsTyped() {
        assertThat(UserInput.parse("hello there ")).isEqualTo(new UserInput.Text("hello there "));
        assertThat(UserInput.parse("  ")).isEqualTo(new UserInput.Blank());
        assertThat(UserInput.parse("")).isEqualTo(new UserInput.Blank());
    }

    @Test
    void doubleSlashSendsALineStartingWithSlash() {
        assertThat(UserInput.parse("//shrug")).isEqualTo(new UserInput.Text("/shrug"));
    }

    @Test
    void commandsParse() {
        assertThat(UserInput.parse("/to bob")).isEqualTo(new UserInput.To("bob"));
        assertThat(UserInput.parse("/TO  bob ")).isEqualTo(new UserInput.To("bob"));
        assertThat(UserInput.parse("/to *")).isEqualTo(new UserInput.All());
        assertThat(UserInput.parse("/all")).isEqualTo(new UserInput.All());
        assertThat(UserInput.parse("/msg bob see you at 5")).isEqualTo(new UserInput.Msg("bob", "see you at 5"));
        assertThat(UserInput.parse("/history")).isEqualTo(new UserInput.History(UserInput.DEFAULT_PAGE));
        assertThat(UserInput.parse("/history 5")).isEqualTo(new UserInput.History(5));
        assertThat(UserInput.parse("/who")).isEqualTo(new UserInput.Who());
        assertThat(UserInput.parse("/help")).isEqualTo(new UserInput.Help());
        assertThat(UserInput.parse("/quit")).isEqualTo(new UserInput.Quit());
    }

    @Test
    void unknownCommandsGetAHint() {
        assertThat(problem("/frobnicate")).isEqualTo(
                "unknown command /frobnicate (type /help for the list, or //TEXT to send a line starting with /)");
        assertThat(problem("/")).contains("a command name must follow /");
    }

    @Test
    void badArgumentsSayWhatIsExpected() {
        assertThat(problem("/to")).isEqualTo("usage: /to USER (or /all for everyone)");
        assertThat(problem("/to bob smith")).contains("not a user name: 'bob smith'");
        assertThat(problem("/to server")).contains("'server' only makes announcements");
        assertThat(problem("/msg bob")).isEqualTo("usage: /msg USER TEXT");
        assertThat(problem("/msg")).isEqualTo("usage: /msg USER TEXT");
        assertThat(problem("/history lots")).contains("usage: /history [N]").contains("'lots'");
        assertThat(problem("/history 0")).contains("1 to 1000");
        assertThat(problem("/history 1001")).contains("1 to 1000");
        assertThat(problem("/who is there")).contains("/who takes nothing");
        assertThat(problem("/all now")).contains("/all takes nothing");
    }

    @Test
    void tooLongTextIsRefusedBeforeSending() {
        assertThat(UserInput.parse("x".repeat(4001)))
                .isEqualTo(new UserInput.TooLong("message too long: 4001 characters, at most 4000"));
        assertThat(UserInput.parse("x".repeat(4000))).isInstanceOf(UserInput.Text.class);
        assertThat(UserInput.parse("/msg bob " + "x".repeat(4001))).isInstanceOf(UserInput.TooLong.class);
        // characters are code points: 4000 emoji are 8000 UTF-16 units and still fit
        assertThat(UserInput.parse("\uD83D\uDE00".repeat(4000))).isInstanceOf(UserInput.Text.class);
    }

    private static String problem(String line) {
        UserInput input = UserInput.parse(line);
        assertThat(input).isInstanceOf(UserInput.Invalid.class);
        return ((UserInput.Invalid) input).problem();
    }
}
