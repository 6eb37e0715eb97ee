package dev.parley.protocol;

/** A frame sent by a client to the server. */
public sealed interface ClientFrame {

    /** The frame's {@code type} on the wire. */
    String type();

    /**
     * First frame of a session: logs in, registering the user on first use. {@code version} is
     * the protocol version the client speaks ({@link Protocol#VERSION}); null for v1.0. A v1.1
     * client may give the resume {@code token} of its last welcome instead of the password
     * (exactly one of the two is set). {@code register} (v1.1, true unless the client says
     * {@code "register":false}): whether an unknown user is registered by this hello; when false
     * the server answers NO_SUCH_USER instead, so a client can confirm a new name first.
     */
    record Hello(String user, String password, String to, Integer history, Long since, String version,
                 String token, boolean register) implements ClientFrame {
        /** A v1.0 hello. */
        public Hello(String user, String password, String to, Integer history, Long since) {
            this(user, password, to, history, since, null, null, true);
        }

        public Hello(String user, String password, String to, Integer history, Long since, String version) {
            this(user, password, to, history, since, version, null, true);
        }

        public Hello(String user, String password, String to, Integer history, Long since, String version,
                     String token) {
            this(user, password, to, history, since, version, token, true);
        }

        /** The same hello from a client that speaks {@code version}. */
        public Hello speaking(String version) {
            return new Hello(user, password, to, history, since, version, token, register);
        }

        /** The same hello with a resume token in place of the password. */
        public Hello resuming(String token) {
            return new Hello(user, null, to, history, since, version, token, register);
        }

        /** The same hello without a default recipient. */
        public Hello withoutRecipient() {
            return new Hello(user, password, null, history, since, version, token, register);
        }

        /** The same hello, refused with NO_SUCH_USER rather than registering a user that does not exist. */
        public Hello withoutRegistering() {
            return new Hello(user, password, to, history, since, version, token, false);
        }

        /** Keeps the password out of logs and test failure messages. */
        @Override
        public String toString() {
            return "Hello[user=" + user + ", to=" + to + ", history=" + history + ", since=" + since
                    + ", version=" + version + (register ? "" : ", register=false") + (token != null ? ", with a token" : ", with a password") + "]";
        }

        public String type() {
            return "hello";
        }
    }

    /**
     * A message to a user, or to {@code *}; {@code to} null means the session's default.
     * {@code id} (optional): the client's name for the message, the same on every retry of it;
     * the server stores a given user and id at most once ({@link Protocol#SEND_ID_RETENTION}) and
     * answers a retry with the original ack.
     */
    record Send(String to, String text, String ref, String id) implements ClientFrame {
        /** A send without a client message id. */
        public Send(String to, String text, String ref) {
            this(to, text, ref, null);
        }

        public String type() {
            return "send";
        }
    }

    /** A request for a page of older messages of the conversation with {@code with}. */
    record HistoryRequest(String with, Long before, Integer limit) implements ClientFrame {
        public String type() {
            return "history";
        }
    }

    /**
     * 1.1, additive: asks which conversations have messages from others above this user's read
     * position; answered with one {@link ServerFrame.Unread}.
     */
    record UnreadRequest() implements ClientFrame {
        public String type() {
            return "unread";
        }
    }

    /**
     * 1.1, additive: this user has been shown the conversation with {@code with} up to message
     * {@code id}. Never answered; the server's position only moves forward.
     */
    record Read(String with, long id) implements ClientFrame {
        public String type() {
            return "read";
        }
    }

    record Who() implements ClientFrame {
        public String type() {
            return "who";
        }
    }

    record Ping() implements ClientFrame {
        public String type() {
            return "ping";
        }
    }

    record Bye() implements ClientFrame {
        public String type() {
            return "bye";
        }
    }
}
