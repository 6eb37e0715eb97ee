package dev.parley.protocol;

import java.util.List;

/** A frame sent by the server to a client. */
public sealed interface ServerFrame {

    /** The frame's {@code type} on the wire. */
    String type();

    record Welcome(String user, String node) implements ServerFrame {
        public String type() {
            return "welcome";
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
     * {@code since}) before sending it again. False for every definite refusal.
     */
    record Error(ErrorCode code, String message, String ref, boolean maybeStored) implements ServerFrame {
        public Error(ErrorCode code, String message, String ref) {
            this(code, message, ref, false);
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
