package dev.parley.client.command;

import dev.parley.client.ui.MessageFormatter;
import dev.parley.client.ui.Screen;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Protocol;

/**
 * The screen of an interactive session with the formatter that styles its lines: what every part
 * of the session shows goes through here, from any thread. The screen is set once the login
 * succeeded; nothing is shown before.
 */
final class SessionScreen {
    private final MessageFormatter format;
    private volatile Screen screen;

    SessionScreen(MessageFormatter format) {
        this.format = format;
    }

    void open(Screen opened) {
        screen = opened;
    }

    /** The screen, or null before it is open. */
    Screen screen() {
        return screen;
    }

    void notice(String text) {
        screen.show(format.notice(text));
    }

    void error(String text) {
        screen.show(format.error(text));
    }

    void message(ChatMessage m) {
        screen.show(format.message(m));
    }

    /** A conversation as the screen names it. */
    static String conversationName(String with) {
        return Protocol.BROADCAST.equals(with) ? "everyone" : with;
    }

    /** "1 message", "2 messages". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
