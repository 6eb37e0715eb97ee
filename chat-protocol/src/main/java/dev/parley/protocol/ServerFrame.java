package dev.parley.protocol;

import java.util.List;

/** A frame sent by the server to a client. */
public sealed interface ServerFrame {

    /** The frame's {@code type} on the wire. */
    String type();

    /**
     * Logged in. {@code last}: the newest message id of the service when the login was accepted
     * (v1.1; null from a v1.0 server): a client that resumes with {@code since = last} misses
     * nothing sent after its login. {@code token} (v1.1, to a client that said so): a resume
     * token, good for one later hello in place of the password, until it expires. {@code rateLimit}
     * (v1.1): the frames a second this connection may send, null when unlimited or not said.
     * {@code registered} (v1.1): this hello registered the account.
     */
    record Welcome(String user, String node, Long last, String token, Integer rateLimit, boolean registered)
            implements ServerFrame {
        public Welcome(String user, String node) {
            this(user, node, null, null);
        }

        public Welcome(String user, String node, Long last) {
            this(user, node, last, null);
        }

        public Welcome(String user, String node, Long last, String token) {
            this(user, node, last, token, null, false);
        }

        public String type() {
            return "welcome";
        }
    }

    /**
     * v1.1, to a client that said so in its hello: the catch-up after {@code since} is complete;
     * every msg before this frame was stored before the login, every one after it is live.
     * {@code last} is the id of the last message of the catch-up ({@code since} when there was none).
     */
    record CaughtUp(long last) implements ServerFrame {
        public String type() {
            return "caught-up";
        }
    }

    /** Messages of one conversation, oldest first; {@code with} is a user name or {@code *}. */
    record History(String with, List<ChatMessage> messages) implements ServerFrame {
        public History {
            messages = List.copyOf(messages);
        }

        public String type() {
            return "history";
        }
    }

    record Msg(ChatMessage message) implements ServerFrame {
        public String type() {
            return "msg";
        }
    }

    /** The message tagged {@code ref} is stored with this id. */
    record Ack(String ref, long id, long ts) implements ServerFrame {
        public String type() {
            return "ack";
        }
    }

    /**
     * 1.1, the answer to {@link ClientFrame.UnreadRequest}: the conversations with messages from
     * others above the user's read position, with {@code *} first, then by name.
     */
    record Unread(List<Conversation> conversations) implements ServerFrame {
        public Unread {
            conversations = List.copyOf(conversations);
        }

        public String type() {
            return "unread";
        }

        /**
         * {@code count}: unread messages from others (at most {@link Protocol#UNREAD_COUNT_CAP});
         * {@code read}: the newest id read (0: none); {@code messages}: the newest of the unread, at
         * most {@link Protocol#UNREAD_PREVIEW}, oldest first.
         */
        public record Conversation(String with, int count, long read, List<ChatMessage> messages) {
            public Conversation {
                messages = List.copyOf(messages);
            }
        }
    }

    record WhoList(List<String> users) implements ServerFrame {
        public WhoList {
            users = List.copyOf(users);
        }

        public String type() {
            return "who";
        }
    }

    record Pong() implements ServerFrame {
        public String type() {
            return "pong";
        }
    }

    /**
     * An error. {@code maybeStored}: the send it answers reached the store, but whether it was
     * stored is not known (the store went away mid-write); the client looks for it (hello with
     * {@code since}) before sending it again. False for every definite refusal. {@code retryAfterMs}
     * (v1.1, with RATE_LIMITED): how long until the connection may send again; null when not said.
     */
    record Error(ErrorCode code, String message, String ref, boolean maybeStored, Long retryAfterMs)
            implements ServerFrame {
        public Error(ErrorCode code, String message, String ref) {
            this(code, message, ref, false);
        }

        public Error(ErrorCode code, String message, String ref, boolean maybeStored) {
            this(code, message, ref, maybeStored, null);
        }

        public String type() {
            return "error";
        }
    }

    /** The server is going away (shutdown); the client may reconnect elsewhere. */
    record Bye() implements ServerFrame {
        public String type() {
            return "bye";
        }
    }
}
