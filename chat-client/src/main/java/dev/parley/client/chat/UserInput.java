package dev.parley.client.chat;

import dev.parley.protocol.Protocol;
import java.util.List;
import java.util.Locale;

/** One line typed by the user, parsed: text to send or a slash command. */
public sealed interface UserInput {
    /** Messages shown by a bare {@code /history}. */
    int DEFAULT_PAGE = 20;

    /** Text for the current recipient. */
    record Text(String text) implements UserInput {
    }

    /** {@code /to USER}: change the default recipient. */
    record To(String user) implements UserInput {
    }

    /** {@code /all}: type to everyone from now on. */
    record All() implements UserInput {
    }

    /** {@code /msg USER TEXT}: one direct message without switching. */
    record Msg(String user, String text) implements UserInput {
    }

    /** {@code /history [N]}: older messages of the current conversation. */
    record History(int count) implements UserInput {
    }

    record Who() implements UserInput {
    }

    record Help() implements UserInput {
    }

    record Quit() implements UserInput {
    }

    /** A blank line: nothing to do. */
    record Blank() implements UserInput {
    }

    /** Text over the limit: refused, and worth keeping for the user to shorten. */
    record TooLong(String problem) implements UserInput {
    }

    /** A line that could not be understood, and what to tell the user. */
    record Invalid(String problem) implements UserInput {
    }

    /** The commands, for Tab; {@link #HELP} and {@link #parse} name the same ones. */
    List<String> COMMANDS = List.of("/to", "/all", "/msg", "/history", "/who", "/help", "/quit");

    /** Commands whose next word is a user name. */
    List<String> NAME_COMMANDS = List.of("/to", "/msg");

    /** The command list shown by {@code /help}. */
    String HELP = String.join("\n",
            "Type a line and press Enter to send it to the current recipient.",
            "  /to USER          send what you type to USER from now on",
            "  /all              send what you type to everyone from now on",
            "  /msg USER TEXT    send one direct message to USER without switching",
            "  /history [N]      show N (default " + DEFAULT_PAGE + ") older messages of this conversation",
            "  /who              list the users online",
            "  /help             show this list",
            "  /quit             leave (Ctrl-D too)",
            "  //TEXT            send TEXT starting with a single /");

    /** Parses one typed line. Never throws: whatever cannot be understood is {@link Invalid}. */
    static UserInput parse(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return new Blank();
        }
        if (!trimmed.startsWith("/")) {
            return text(line);
        }
        if (trimmed.startsWith("//")) {
            return text(trimmed.substring(1));
        }
        String[] parts = trimmed.substring(1).split("\\s+", 2);
        String name = parts[0].toLowerCase(Locale.ROOT);
        String rest = parts.length > 1 ? parts[1].strip() : "";
        return switch (name) {
            case "to" -> to(rest);
            case "all" -> rest.isEmpty() ? new All() : new Invalid("/all takes nothing after it (to send one message to everyone, switch with /all first)");
            case "msg" -> msg(rest);
            case "history" -> history(rest);
            case "who" -> rest.isEmpty() ? new Who() : new Invalid("/who takes nothing after it");
            case "help", "?" -> new Help();
            case "quit" -> new Quit();
            case "" -> new Invalid("a command name must follow / (type /help for the list, or //TEXT to send a line starting with /)");
            default -> new Invalid("unknown command /" + parts[0] + " (type /help for the list, or //TEXT to send a line starting with /)");
        };
    }

    private static UserInput text(String text) {
        int length = Protocol.textLength(text);
        if (length > Protocol.MAX_TEXT_CHARS) {
            return new TooLong("message too long: " + length + " characters, at most " + Protocol.MAX_TEXT_CHARS);
        }
        return new Text(text);
    }

    private static UserInput to(String rest) {
        if (rest.isEmpty()) {
            return new Invalid("usage: /to USER (or /all for everyone)");
        }
        if (rest.equals(Protocol.BROADCAST)) {
            return new All();
        }
        String problem = recipientProblem(rest);
        return problem != null ? new Invalid(problem) : new To(rest);
    }

    private static UserInput msg(String rest) {
        String[] parts = rest.split("\\s+", 2);
        if (rest.isEmpty() || parts.length < 2) {
            return new Invalid("usage: /msg USER TEXT");
        }
        String problem = recipientProblem(parts[0]);
        if (problem != null) {
            return new Invalid(problem);
        }
        UserInput text = text(parts[1]);
        return text instanceof Text t ? new Msg(parts[0], t.text()) : text;
    }

    private static UserInput history(String rest) {
        if (rest.isEmpty()) {
            return new History(DEFAULT_PAGE);
        }
        try {
            int n = Integer.parseInt(rest);
            if (n >= 1 && n <= Protocol.MAX_HISTORY) {
                return new History(n);
            }
        } catch (NumberFormatException e) {
            return new Invalid("usage: /history [N], N a number from 1 to " + Protocol.MAX_HISTORY + ", not '" + rest + "'");
        }
        return new Invalid("/history N takes N from 1 to " + Protocol.MAX_HISTORY + ", not " + rest);
    }

    /** Why {@code name} cannot receive a direct message, or null when it can. */
    static String recipientProblem(String name) {
        if (Protocol.SERVER_USER.equals(name)) {
            return "'server' only makes announcements; it cannot receive messages";
        }
        if (!Protocol.isValidUserName(name)) {
            return "not a user name: '" + name + "' (1 to 32 letters, digits, _ . -)";
        }
        return null;
    }
}
