package dev.parley.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MessageFormatterTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final long TODAY_14_03_07 = Instant.parse("2026-11-28T14:03:07Z").toEpochMilli();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T15:00:00Z"), UTC);

    private final MessageFormatter plain = new MessageFormatter("alice", UTC, CLOCK, false);
    private final MessageFormatter coloured = new MessageFormatter("alice", UTC, CLOCK, true);

    @Test
    void directMessageToMe() {
        assertThat(plain.message(msg("bob", "alice", "hi")).toString()).isEqualTo("[14:03:07] bob -> you: hi");
    }

    @Test
    void broadcast() {
        assertThat(plain.message(msg("bob", "*", "lunch?")).toString()).isEqualTo("[14:03:07] bob -> all: lunch?");
    }

    @Test
    void ownMessages() {
        assertThat(plain.message(msg("alice", "bob", "hey")).toString()).isEqualTo("[14:03:07] you -> bob: hey");
        assertThat(plain.message(msg("alice", "*", "hey all")).toString()).isEqualTo("[14:03:07] you -> all: hey all");
        assertThat(plain.message(msg("alice", "alice", "note")).toString()).isEqualTo("[14:03:07] you -> yourself: note");
    }

    @Test
    void announcementsStandOutEvenWithoutColour() {
        assertThat(plain.message(msg("server", "*", "maintenance at 15:00")).toString())
                .isEqualTo("[14:03:07] *** server -> all: maintenance at 15:00");
        assertThat(coloured.message(msg("server", "*", "maintenance")).toAnsi())
                .contains("\u001b[").contains("*** server -> all: maintenance");
    }

    @Test
    void colourOnlyWhenAsked() {
        ChatMessage m = msg("bob", "alice", "hi");
        assertThat(plain.message(m).toAnsi()).isEqualTo("[14:03:07] bob -> you: hi");
        assertThat(coloured.message(m).toAnsi()).contains("\u001b[");
        assertThat(coloured.message(m).toString()).isEqualTo("[14:03:07] bob -> you: hi");
        assertThat(plain.error("no such user: bob").toAnsi()).isEqualTo("!! no such user: bob");
        assertThat(plain.notice("reconnected").toAnsi()).isEqualTo("-- reconnected");
        assertThat(coloured.error("x").toAnsi()).contains("\u001b[");
    }

    @Test
    void otherDaysShowTheDate() {
        long yesterday = Instant.parse("2026-11-27T23:59:58Z").toEpochMilli();
        assertThat(plain.message(new ChatMessage(1, "bob", "*", "late", yesterday)).toString())
                .isEqualTo("[2026-11-27 23:59:58] bob -> all: late");
    }

    @Test
    void timeIsInTheGivenZone() {
        MessageFormatter paris = new MessageFormatter("alice", ZoneId.of("Europe/Paris"), CLOCK, false);
        assertThat(paris.message(msg("bob", "*", "x")).toString()).startsWith("[15:03:07]");
    }

    @Test
    void controlCharactersCannotReachTheTerminal() {
        String hostile = "hi\u001b[2J\u0007\rgone\u009b\u202eevil";
        String shown = plain.message(msg("bob", "alice", hostile)).toString();
        assertThat(shown).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r")
                .doesNotContain("\u009b").doesNotContain("\u202e");
        assertThat(shown).endsWith("hi^[[2J^G^Mgone<U+009B><U+202E>evil");
    }

    @Test
    void newlinesContinueIndented() {
        assertThat(plain.message(msg("bob", "*", "one\ntwo")).toString())
                .isEqualTo("[14:03:07] bob -> all: one\n           two");
    }

    @Test
    void unicodeTextIsKept() {
        assertThat(plain.message(msg("bob", "*", "caf\u00e9 \uD83D\uDE00 \u65e5\u672c")).toString())
                .endsWith("caf\u00e9 \uD83D\uDE00 \u65e5\u672c");
    }

    @Test
    void promptShowsWhoTalksToWhom() {
        assertThat(plain.prompt("bob").toString()).isEqualTo("alice -> bob> ");
        assertThat(plain.prompt(null).toString()).isEqualTo("alice -> all> ");
    }

    private static ChatMessage msg(String from, String to, String text) {
        return new ChatMessage(42, from, to, text, TODAY_14_03_07);
    }
}
