package dev.parley.protocol;

import java.util.regex.Pattern;

/** Constants and value rules of protocol v1, shared by every peer so they agree on the limits. */
public final class Protocol {
    /** The recipient that means "everyone". */
    public static final String BROADCAST = "*";
    /** The sender name of announcements; nobody may register it. */
    public static final String SERVER_USER = "server";
    public static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    public static final int MAX_TEXT_CHARS = 4000;
    public static final int DEFAULT_HISTORY = 50;
    public static final int MAX_HISTORY = 1000;
    public static final int MAX_REF_CHARS = 128;
    public static final int MAX_PASSWORD_CHARS = 1024;
    public static final int DEFAULT_PORT = 6000;

    private Protocol() {
    }

    public static boolean isValidUserName(String name) {
        return name != null && USER_NAME.matcher(name).matches();
    }

    /** A user name or {@link #BROADCAST}. */
    public static boolean isValidRecipient(String to) {
        return BROADCAST.equals(to) || isValidUserName(to);
    }

    /** Length in Unicode code points, which is what "characters" means in the protocol. */
    public static int textLength(String text) {
        return text.codePointCount(0, text.length());
    }
}
