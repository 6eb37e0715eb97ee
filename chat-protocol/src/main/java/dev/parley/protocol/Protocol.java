package dev.parley.protocol;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
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
    /** The newest unread messages an {@code unread} answer carries per conversation; the rest are counted. */
    public static final int UNREAD_PREVIEW = 5;
    /** Unread messages are counted up to this many per conversation: a count of it means "this many or more". */
    public static final int UNREAD_COUNT_CAP = 1000;
    /** A send's client message id: short, and nothing that needs escaping in a Redis key or a log line. */
    public static final Pattern SEND_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    /**
     * How long the server remembers a send's id: a retry within this window is answered with the
     * original ack instead of being stored again; after it, the id may be stored anew.
     */
    public static final Duration SEND_ID_RETENTION = Duration.ofHours(24);
    public static final int MAX_PASSWORD_CHARS = 1024;
    public static final int DEFAULT_PORT = 6000;
    /** The protocol version this code speaks; a hello without {@code version} speaks 1.0. */
    public static final String VERSION = "1.1";
    /** Resume tokens are URL-safe base64 of 32 random bytes; anything much longer is not one. */
    public static final int MAX_TOKEN_CHARS = 128;
    /** Names nobody may register, in any mix of case: they would pass for the service itself. */
    public static final Set<String> RESERVED_NAMES = Set.of(SERVER_USER, "admin", "system");

    private Protocol() {
    }

    /**
     * Whether a client that said {@code version} in its hello reads v1.1 frames ({@code caught-up}):
     * 1.1 or any later version, as {@code MAJOR.MINOR}.
     */
    public static boolean speaksCatchUpEnd(String version) {
        if (version == null) {
            return false;
        }
        String[] parts = version.split("\\.", -1);
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 1 || (major == 1 && minor >= 1);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static boolean isValidUserName(String name) {
        return name != null && USER_NAME.matcher(name).matches();
    }

    /** A user name or {@link #BROADCAST}. */
    public static boolean isValidRecipient(String to) {
        return BROADCAST.equals(to) || isValidUserName(to);
    }

    /** Whether registering {@code name} is refused: a reserved name in any mix of case. */
    public static boolean isReservedName(String name) {
        return RESERVED_NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether {@code text} holds a surrogate without its pair: not Unicode, so it cannot be stored
     * as sent (UTF-8 has no form for it) and is refused rather than changed.
     */
    public static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Length in Unicode code points, which is what "characters" means in the protocol. */
    public static int textLength(String text) {
        return text.codePointCount(0, text.length());
    }
}
