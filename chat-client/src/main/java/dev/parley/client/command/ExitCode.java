package dev.parley.client.command;

import dev.parley.client.net.LinkEnd;

/** The client's exit codes, one place, listed in {@code --help}. */
public final class ExitCode {
    /** Done: left with /quit or Ctrl-D, message acknowledged, listening finished. */
    public static final int OK = 0;
    /** The server refused a message, the connection dropped mid-way, or a wait timed out. */
    public static final int FAILED = 1;
    /** Wrong usage; the usage text follows the reason. */
    public static final int USAGE = 2;
    /** The server refused the login (wrong password, invalid name), with its reason. */
    public static final int LOGIN_REFUSED = 3;
    /** No connection to SERVER:PORT could be made, or what answers there does not speak the Parley protocol. */
    public static final int UNREACHABLE = 4;
    /** Ctrl-C, at the chat prompt or the password prompt: 128 + SIGINT, as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }

    /** The exit code of a mode whose link ended this way. */
    static int of(LinkEnd.Kind ended) {
        return switch (ended) {
            case CLOSED -> OK;
            case REFUSED -> LOGIN_REFUSED;
            case LOST, FAILED -> FAILED;
        };
    }
}
