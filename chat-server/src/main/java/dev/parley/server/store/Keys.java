package dev.parley.server.store;

import dev.parley.protocol.Protocol;
import java.util.Locale;

/** Every Redis key the server uses; docs/data-model.md describes them. */
public final class Keys {
    public static final String USERS = "parley:users";
    /** Lowercase user name → the name as registered: one account per name, whatever its case. */
    public static final String NAMES = "parley:names";
    /** The fan-out stream: one entry per stored batch, its id the batch's first message id. */
    public static final String FANOUT = "parley:fanout";
    /**
     * The fan-out stream of earlier versions, one entry per message, which their replicas still
     * write during a rolling upgrade: read, never written (docs/data-model.md).
     */
    public static final String LEGACY_EVENTS = "parley:events";
    /** The last id handed out (INCR in store-messages.lua). */
    public static final String SEQ = "parley:seq";
    public static final String BROADCAST = "parley:conv:*";
    public static final String NODES = "parley:nodes";

    private Keys() {
    }

    /** The stream holding one conversation: the broadcast one, or the DM between two users. */
    public static String conversation(String user, String with) {
        if (Protocol.BROADCAST.equals(with)) {
            return BROADCAST;
        }
        // one key per pair, whichever side asks
        return user.compareTo(with) <= 0 ? "parley:dm:" + user + ":" + with : "parley:dm:" + with + ":" + user;
    }

    /** A resume token, by the SHA-256 of the token (hex); its value is the user it logs in. */
    public static String resumeToken(String digest) {
        return "parley:token:" + digest;
    }

    /**
     * A send's client message id, remembered for {@link Protocol#SEND_ID_RETENTION}: its value is
     * "id:ts" of the stored message, so a retry gets the original ack (store-messages.lua).
     */
    public static String sentId(String user, String id) {
        return "parley:sent:" + user + ":" + id;
    }

    /** How far {@code user} has read each conversation: field {@code *} or a peer's name, value a message id. */
    public static String readPositions(String user) {
        return "parley:read:" + user;
    }

    public static String peers(String user) {
        return "parley:peers:" + user;
    }

    /** Prefix of {@link #online}, for the script that reads every replica's set. */
    public static final String ONLINE_PREFIX = "parley:online:";

    /** The users online on one replica (its instance id: the node id and a per-process suffix). */
    public static String online(String node) {
        return ONLINE_PREFIX + node;
    }

    /** Wrong passwords counted for one account and until when its logins are refused (login-attempt.lua). */
    public static String authFailures(String user) {
        return "parley:authfail:" + user;
    }

    /** The field of {@link #NAMES} for {@code user}: names differing only in case share it. */
    public static String nameIndexField(String user) {
        return user.toLowerCase(Locale.ROOT);
    }
}
