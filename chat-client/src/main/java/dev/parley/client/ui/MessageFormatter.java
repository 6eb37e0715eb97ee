package dev.parley.client.ui;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Protocol;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Turns messages and client notices into display lines such as
 * {@code [14:03:07] alice -> you: hi} and {@code [14:03:09] bob -> all: lunch?}. With colour
 * off the lines carry no style at all, so the text is identical either way. Text from other
 * users is made harmless for a terminal: control characters are shown, never sent.
 */
public final class MessageFormatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final List<Integer> USER_COLOURS = List.of(
            AttributedStyle.CYAN, AttributedStyle.BLUE | AttributedStyle.BRIGHT, AttributedStyle.MAGENTA,
            AttributedStyle.GREEN | AttributedStyle.BRIGHT, AttributedStyle.CYAN | AttributedStyle.BRIGHT,
            AttributedStyle.MAGENTA | AttributedStyle.BRIGHT);
    private static final String CONTINUATION = "\n           ";

    private final String me;
    private final ZoneId zone;
    private final Clock clock;
    private final boolean colour;

    public MessageFormatter(String me, ZoneId zone, Clock clock, boolean colour) {
        this.me = me;
        this.zone = zone;
        this.clock = clock;
        this.colour = colour;
    }

    /** One message, DM or broadcast, as the user sees it. */
    public AttributedString message(ChatMessage m) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        boolean announcement = Protocol.SERVER_USER.equals(m.from());
        b.styled(style(AttributedStyle.DEFAULT.faint()), "[" + time(m.ts()) + "] ");
        if (announcement) {
            AttributedStyle loud = style(AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW));
            b.styled(loud, "*** server -> all: " + safe(m.text()));
            return b.toAttributedString();
        }
        boolean mine = me.equals(m.from());
        b.styled(style(userStyle(m.from())), mine ? "you" : m.from());
        b.append(" -> ");
        if (m.isBroadcast()) {
            b.append("all");
        } else if (me.equals(m.to()) && !mine) {
            b.styled(style(AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW)), "you");
        } else {
            b.styled(style(userStyle(m.to())), me.equals(m.to()) ? "yourself" : m.to());
        }
        b.append(": ").append(safe(m.text()));
        return b.toAttributedString();
    }

    /** Something the client itself says: connection state, command results. */
    public AttributedString notice(String text) {
        return new AttributedString("-- " + safe(text), style(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)));
    }

    /** A problem the user should read: a refused message, a bad command. */
    public AttributedString error(String text) {
        return new AttributedString("!! " + safe(text), style(AttributedStyle.BOLD.foreground(AttributedStyle.RED)));
    }

    /** The prompt: who is typing to whom. */
    public AttributedString prompt(String recipientOrNull) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.styled(style(userStyle(me)), me).append(" -> ");
        b.append(recipientOrNull == null ? "all" : recipientOrNull).append("> ");
        return b.toAttributedString();
    }

    /** {@code HH:mm:ss} today, with the date in front on any other day. */
    String time(long millis) {
        ZonedDateTime at = Instant.ofEpochMilli(millis).atZone(zone);
        return at.toLocalDate().equals(LocalDate.now(clock.withZone(zone))) ? TIME.format(at) : DATE_TIME.format(at);
    }

    /**
     * Text safe to print on a terminal: control characters (escape sequences, bells, carriage
     * returns that would overwrite the line) become visible {@code ^X} or {@code <U+XXXX>}; a
     * newline starts an indented continuation line.
     */
    public static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n') {
                out.append(CONTINUATION);
            } else if (cp == '\t') {
                out.append("    ");
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append('^').append((char) (cp ^ 0x40));
            } else if ((cp >= 0x80 && cp < 0xa0) || isBidiControl(cp)) {
                out.append(String.format("<U+%04X>", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** Bidirectional overrides can make a line read differently from what it holds. */
    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    }

    private AttributedStyle userStyle(String user) {
        if (me.equals(user)) {
            return AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
        }
        return AttributedStyle.BOLD.foreground(USER_COLOURS.get(Math.floorMod(user.hashCode(), USER_COLOURS.size())));
    }

    private AttributedStyle style(AttributedStyle s) {
        return colour ? s : AttributedStyle.DEFAULT;
    }
}
